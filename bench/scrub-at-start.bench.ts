/**
 * The scrub at start (`scrubStoredSecretsOnce`) does not hold the start up: a data folder an older Portcullis filled
 * (N messages, N/2 tool calls with ~1 KB results, 2N spans, one row in a thousand holding a value the keychain now
 * keeps) is opened as `portcullis serve` opens it, and the bench times, from the start: the runtime made, the
 * headless server answering its first HTTP request, and the scrub done; with the longest the event loop was held
 * while the scrub ran. Needs the build (`out/main`).
 * Usage: tsx bench/scrub-at-start.bench.ts [--messages N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createRuntime } from '../src/core/runtime/create-runtime';
import { createForkLauncher } from '../src/core/sandbox/fork-launcher';
import { WorkerToolRunner } from '../src/core/sandbox/worker-tool-runner';
import type { SecretStore } from '../src/core/secrets/secret-store';
import { startHeadlessServer } from '../src/server/headless-server';
import { report } from './harness';
import { fillSecretHistory } from './secret-history';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '100000' } } });
const N = Number(values.messages);
const CANARY = 'zqcanary7x4k9m2p';
const OUT = resolve(__dirname, '..', 'out');

const keychain: SecretStore = {
  get: async (name) => (name === 'gw.auth' ? CANARY : undefined),
  set: async () => {},
  delete: async () => false,
  list: async () => ['gw.auth'],
};

const round = (ms: number): number => Number(ms.toFixed(1));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-scrub-at-start-'));
  // Recent, so the retention run at start has nothing to cut and the bench times the scrub alone.
  fillSecretHistory(dir, { messages: N, canary: CANARY, at: Date.now() });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const started = performance.now();
  const launcher = createForkLauncher(join(OUT, 'main', 'tool-worker.js'));
  const runtime = createRuntime(
    { version: 'bench', dataDir: dir, workspace: join(dir, 'workspace'), mcp: false },
    { createToolRunner: (ws) => new WorkerToolRunner(launcher, ws), spanWriterEntry: join(OUT, 'main', 'span-writer.js'), secretStore: keychain },
  );
  const runtimeMs = performance.now() - started;
  let scrubMs = 0;
  const scrubbed = runtime.startUpScrub.then((outcome) => ((scrubMs = performance.now() - started), outcome));
  const server = await startHeadlessServer({ runtime, rendererDir: join(OUT, 'renderer'), token: 'bench', port: 0, jwt: null });
  const response = await fetch(`http://127.0.0.1:${server.port}/?token=bench`);
  const apiMs = performance.now() - started;
  const scrubStillRunning = scrubMs === 0;
  const outcome = await scrubbed;
  histogram.disable();
  report(`The scrub at start, ${N.toLocaleString('en')} messages`, [], {
    outcome,
    httpStatus: response.status,
    runtimeMadeMs: round(runtimeMs),
    serverAnsweredMs: round(apiMs),
    scrubDoneMs: round(scrubMs),
    scrubStillRunningWhenServerAnswered: scrubStillRunning,
    // From the runtime made on (the histogram sees no block before its first tick).
    longestEventLoopBlockMs: round(histogram.max / 1e6),
  });
  await server.close();
  await runtime.dispose();
  rmSync(dir, { recursive: true, force: true });
}

void main();
