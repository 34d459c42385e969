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

const { values } = parseArgs({ options: { messages: { type: 'string', default: '100000' } } });
const N = Number(values.messages);
const CANARY = 'zqcanary7x4k9m2p';
const WORDS = 'the quick brown fox jumps over lazy dog while agent reads files and writes notes about project status'.split(' ');
const text = (words: number, i: number): string => Array.from({ length: words }, (_, k) => WORDS[(i * 7 + k * 13) % WORDS.length]).join(' ');

function fill(dir: string): void {
  const main = openDatabase(join(dir, 'portcullis.db'));
  const traces = openTracesConnection(join(dir, 'traces.db'));
  const conversations = Math.max(1, Math.round(N / 100));
  main.transaction(() => {
    const conversation = main.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, 0, 0)');
    const message = main.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES (?, ?, 't', 'user', ?, 0)");
    const call = main.prepare("INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, status, result_json, started_at) VALUES (?, ?, 't', 'fs.read', ?, 'succeeded', ?, 0)");
    for (let c = 0; c < conversations; c++) conversation.run(`c${c}`, `conversation ${c}`);
    for (let i = 0; i < N; i++) {
      const planted = i % 1000 === 0 ? ` token ${CANARY}` : '';
      message.run(`m${i}`, `c${i % conversations}`, text(50, i) + planted);
      if (i % 2 === 0) call.run(`tc${i}`, `c${i % conversations}`, JSON.stringify({ path: `notes/${i}.txt` }), JSON.stringify({ content: [{ type: 'text', text: text(150, i) + planted }] }));
    }
  })();
  traces.transaction(() => {
    const span = traces.prepare("INSERT INTO spans (span_id, trace_id, name, kind, start_time, end_time, status, attributes_json) VALUES (?, ?, 'execute_tool', 'tool', ?, ?, 'ok', ?)");
    for (let i = 0; i < 2 * N; i++) span.run(`s${i}`, `t${i >> 2}`, i, i + 1, JSON.stringify({ 'gen_ai.tool.name': 'fs.read', 'gen_ai.tool.call.result': text(60, i) + (i % 1000 === 0 ? CANARY : '') }));
  })();
  main.close();
  traces.close();
}

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
      fill(dir);
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
