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
import { openDatabase } from '../src/core/storage/database';
import { openTracesConnection } from '../src/core/storage/traces/open-traces-database';
import { startHeadlessServer } from '../src/server/headless-server';
import { report } from './harness';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '100000' } } });
const N = Number(values.messages);
const CANARY = 'zqcanary7x4k9m2p';
const OUT = resolve(__dirname, '..', 'out');
const WORDS = 'the quick brown fox jumps over lazy dog while agent reads files and writes notes about project status'.split(' ');
const text = (words: number, i: number): string => Array.from({ length: words }, (_, k) => WORDS[(i * 7 + k * 13) % WORDS.length]).join(' ');

/** What an older Portcullis left: the value typed in chats and said back by tools before it was a secret. */
function fill(dir: string): void {
  const main = openDatabase(join(dir, 'portcullis.db'));
  const traces = openTracesConnection(join(dir, 'traces.db'));
  const conversations = Math.max(1, Math.round(N / 100));
  main.transaction(() => {
    const conversation = main.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)');
    const message = main.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES (?, ?, 't', 'user', ?, 0)");
    const call = main.prepare("INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, status, result_json, started_at) VALUES (?, ?, 't', 'fs.read', ?, 'succeeded', ?, 0)");
    // Recent, so the retention run at start has nothing to cut and the bench times the scrub alone.
    for (let c = 0; c < conversations; c++) conversation.run(`c${c}`, `conversation ${c}`, Date.now(), Date.now());
    for (let i = 0; i < N; i++) {
      const planted = i % 1000 === 0 ? ` token ${CANARY}` : '';
      message.run(`m${i}`, `c${i % conversations}`, text(50, i) + planted);
      if (i % 2 === 0) call.run(`tc${i}`, `c${i % conversations}`, JSON.stringify({ path: `notes/${i}.txt` }), JSON.stringify({ content: [{ type: 'text', text: text(150, i) + planted }] }));
    }
  })();
  traces.transaction(() => {
    const span = traces.prepare("INSERT INTO spans (span_id, trace_id, name, kind, start_time, end_time, status, attributes_json) VALUES (?, ?, 'execute_tool', 'tool', ?, ?, 'ok', ?)");
    for (let i = 0; i < 2 * N; i++) span.run(`s${i}`, `t${i >> 2}`, Date.now(), Date.now(), JSON.stringify({ 'gen_ai.tool.name': 'fs.read', 'gen_ai.tool.call.result': text(60, i) + (i % 1000 === 0 ? CANARY : '') }));
  })();
  main.pragma('wal_checkpoint(TRUNCATE)');
  traces.pragma('wal_checkpoint(TRUNCATE)');
  main.close();
  traces.close();
}

const keychain: SecretStore = {
  get: async (name) => (name === 'gw.auth' ? CANARY : undefined),
  set: async () => {},
  delete: async () => false,
  list: async () => ['gw.auth'],
};

const round = (ms: number): number => Number(ms.toFixed(1));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-scrub-at-start-'));
  fill(dir);
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
