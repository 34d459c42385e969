/**
 * How long the main thread is held while retention deletes a lot at once: a retention cut of N conversations
 * (default 500) of 10 tool calls each, whose results are in the search index (secure-delete, ~14 ms a
 * conversation), then "delete everything" over the same amount. Measured with `monitorEventLoopDelay` (the
 * longest delay a timer saw) and a 1 ms ticker (its gaps: p99 and the longest), which a window, a tool call or the
 * local API waits out the same way; and the whole operation's wall time. Against, in the same run, the cut as one
 * transaction (the statement the service ran before slices) on a third copy of the history.
 * Usage: tsx bench/retention-slices.bench.ts [--conversations N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SearchIndex } from '../src/core/memory/search-index';
import { RetentionCutLog } from '../src/core/retention/audit-sink';
import { RetentionService } from '../src/core/retention/retention-service';
import { openDatabase } from '../src/core/storage/database';
import { SettingsStore } from '../src/core/storage/stores/settings-store';
import { openTracesConnection } from '../src/core/storage/traces/open-traces-database';
import { report } from './harness';

const { values } = parseArgs({ options: { conversations: { type: 'string', default: '500' } } });
const CUT = Number(values.conversations);
const KEPT = 100;
const CALLS = 10;
const DAY = 86_400_000;
const NOW = 1_800_000_000_000;
const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-retention-slices-'));

const WORDS = 'revenue churn quarter region north south east west total margin cost forecast budget invoice customer account plan'.split(' ');
let seed = 11;
const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const text = (chars: number): string => {
  let out = '';
  while (out.length < chars) out += `${Array.from({ length: 6 }, () => WORDS[Math.floor(random() * WORDS.length)]).join(',')},${Math.floor(random() * 10_000)}\n`;
  return out;
};

/** N old conversations (over 30 days) and KEPT recent ones, each with 10 read calls, their messages and spans, all indexed. */
function history(name: string) {
  const file = join(dir, `${name}.db`);
  const tracesFile = join(dir, `${name}-traces.db`);
  const db = openDatabase(file);
  const traces = openTracesConnection(tracesFile);
  const conversation = db.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const call = db.prepare(
    "INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, decision_effect, status, result_json, started_at, ended_at) VALUES (?, ?, ?, 'fs.read', '{}', 'allow', 'succeeded', ?, ?, ?)",
  );
  const message = db.prepare('INSERT INTO messages (id, conversation_id, turn_id, role, content, tool_call_id, trace_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const span = traces.prepare(
    "INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, start_time, end_time, status, attributes_json) VALUES (?, ?, NULL, 'turn', 'turn', ?, ?, 'ok', json_object('gen_ai.conversation.id', ?))",
  );
  db.pragma('synchronous = OFF'); // generation only
  db.transaction(() => {
    for (let c = 0; c < CUT + KEPT; c++) {
      const id = `c${c}`;
      const at = c < CUT ? NOW - 60 * DAY + c : NOW - DAY + c;
      conversation.run(id, `Conversation ${c}`, at, at);
      for (let t = 0; t < CALLS; t++) {
        const turn = `${id}t${t}`;
        call.run(`${turn}-call`, id, turn, JSON.stringify({ path: `reports/${turn}.csv`, content: text(3_000) }), at, at);
        message.run(`${turn}-user`, id, turn, 'user', `please read report ${t} about topic ${c}`, null, turn, at);
        message.run(`${turn}-tool`, id, turn, 'tool', '', `${turn}-call`, turn, at);
        message.run(`${turn}-reply`, id, turn, 'assistant', `Report ${t} for topic ${c} says ${text(200)}`, null, turn, at);
        span.run(turn, `${turn}-root`.slice(0, 16), at, at + 1, id);
      }
    }
  })();
  new SearchIndex(db).toolResults.indexAll();
  db.pragma('synchronous = FULL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const settings = new SettingsStore(db);
  const service = new RetentionService({ db, file, traces: { db: traces, file: tracesFile }, settings, audit: new RetentionCutLog(db), clock: { now: () => NOW } });
  service.update({ conversationDays: 30, traceDays: 30, maxDatabaseMb: null });
  return { db, traces, service };
}

/** The longest the event loop was held while `work` ran, two ways, and its wall time (ms). */
async function heldWhile(work: () => unknown): Promise<{ longestBlockMs: number; longestTickGapMs: number; p99TickGapMs: number; wallMs: number; result: unknown }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  const gaps: number[] = [];
  const ticker = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 1);
  histogram.enable();
  // The histogram's own timer starts on the loop's next turn: a block right after enable() would go unseen.
  await new Promise((resolve) => setTimeout(resolve, 20));
  last = performance.now();
  gaps.length = 0;
  const started = performance.now();
  const result = await work();
  const wallMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 5));
  histogram.disable();
  clearInterval(ticker);
  gaps.sort((a, b) => a - b);
  const p99 = gaps[Math.floor(gaps.length * 0.99)] ?? 0;
  return { longestBlockMs: round(histogram.max / 1e6), longestTickGapMs: round(gaps.at(-1) ?? 0), p99TickGapMs: round(p99), wallMs: round(wallMs), result };
}

const round = (ms: number): number => Number(ms.toFixed(1));

async function main(): Promise<void> {
  const whole = history('one-transaction');
  const wholeRun = await heldWhile(() => whole.db.transaction(() => whole.db.prepare('DELETE FROM conversations WHERE updated_at < ?').run(NOW - 30 * DAY).changes).immediate());
  whole.db.close();
  whole.traces.close();
  const cut = history('cut');
  const cutRun = await heldWhile(() => cut.service.run('purge now'));
  const everything = history('everything');
  const deleteRun = await heldWhile(() => everything.service.deleteEverything());
  report(`Retention on the main thread: a cut of ${CUT} conversations of ${CALLS} indexed results`, [], {
    oneTransaction: { longestBlockMs: wholeRun.longestBlockMs, p99TickGapMs: wholeRun.p99TickGapMs, wallMs: wholeRun.wallMs, deleted: wholeRun.result },
    cut: { p99TickGapMs: cutRun.p99TickGapMs, longestBlockMs: cutRun.longestBlockMs, longestTickGapMs: cutRun.longestTickGapMs, wallMs: cutRun.wallMs, report: cutRun.result },
    deleteEverything: { p99TickGapMs: deleteRun.p99TickGapMs, longestBlockMs: deleteRun.longestBlockMs, longestTickGapMs: deleteRun.longestTickGapMs, wallMs: deleteRun.wallMs, report: deleteRun.result },
  });
  for (const h of [cut, everything]) {
    h.db.close();
    h.traces.close();
  }
  rmSync(dir, { recursive: true, force: true });
}

void main();
