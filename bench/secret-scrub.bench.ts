/**
 * Scrubbing a secret from a stored history (`scrubStoredSecrets`, as `portcullis secrets scrub` and a secret saved in
 * Settings run it): N messages, N/2 tool calls with ~1 KB results, 2N spans, one row in a thousand holding the
 * value; one value, then ten. Reports the whole scrub's time and how long the main thread was held between two
 * batches (what a tool call beside it waits for at most): median, p99 and longest.
 * Usage: tsx bench/secret-scrub.bench.ts [--messages N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/core/storage/database';
import { rowsScrubbed, scrubStoredSecrets } from '../src/core/storage/scrub/stored-secret-scrubber';
import { openTracesConnection } from '../src/core/storage/traces/open-traces-database';
import { fillSecretHistory } from './secret-history';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '100000' } } });
const N = Number(values.messages);
const CANARY = 'zqcanary7x4k9m2p';

async function scrub(dir: string, secrets: string[]): Promise<{ ms: number; rows: number; batches: number; holdP50Ms: number; holdP99Ms: number; longestHoldMs: number }> {
  const main = openDatabase(join(dir, 'portcullis.db'));
  const traces = openTracesConnection(join(dir, 'traces.db'));
  const holds: number[] = [];
  let resumed = performance.now();
  const pause = (): Promise<void> => {
    holds.push(performance.now() - resumed);
    return new Promise((resolve) => setImmediate(() => {
      resumed = performance.now();
      resolve();
    }));
  };
  const started = performance.now();
  const report = await scrubStoredSecrets({ main, traces, dataDir: dir, pause }, secrets);
  const ms = performance.now() - started;
  main.close();
  traces.close();
  holds.sort((a, b) => a - b);
  const at = (q: number): number => Number((holds[Math.min(holds.length - 1, Math.floor(q * holds.length))] ?? 0).toFixed(1));
  return { ms: Math.round(ms), rows: rowsScrubbed(report), batches: holds.length, holdP50Ms: at(0.5), holdP99Ms: at(0.99), longestHoldMs: at(1) };
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = {};
  for (const count of [1, 10]) {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-scrub-'));
    try {
      fillSecretHistory(dir, { messages: N, canary: CANARY, at: 0 });
      const secrets = [CANARY, ...Array.from({ length: count - 1 }, (_, k) => `other-secret-value-${k}-xyz`)];
      results[`${count} value${count === 1 ? '' : 's'}`] = await scrub(dir, secrets);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\nScrubbing a secret from ${N} messages, ${N / 2} tool calls and ${2 * N} spans`);
  for (const [name, result] of Object.entries(results)) console.log(`${name}: ${JSON.stringify(result)}`);
  console.log(JSON.stringify({ title: 'secret scrub', messages: N, results }));
}

void main();
