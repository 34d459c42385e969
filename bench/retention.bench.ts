/**
 * Deleting history, against the same deletion in a history ten times smaller (same schema, same pragmas):
 * - one conversation (30 messages, 10 tool calls and their approvals) deleted as the Delete button does it
 *   (`deleteConversationRows`: cascades, search index, traces);
 * - a retention cut of the 10% oldest conversations (the retention service's statement), per conversation.
 * A deletion should cost what it deletes, not what is kept: the goal is a ratio near 1. Before the foreign-key
 * indexes (migration 12) each deleted tool call read the whole messages and approvals tables.
 * Usage: tsx bench/retention.bench.ts [--conversations N]  (the large history; the small one has N / 10)
 */
import type BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/core/storage/database';
import { deleteConversationRows } from '../src/core/storage/delete-conversation-rows';
import { openTracesConnection } from '../src/core/storage/traces/open-traces-database';
import { compare, report } from './harness';

const { values } = parseArgs({ options: { conversations: { type: 'string', default: '4000' } } });
const LARGE = Number(values.conversations);
const SMALL = Math.round(LARGE / 10);
const TURNS = 10;
const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-retention-'));

interface History {
  db: BetterSqlite3.Database;
  traces: BetterSqlite3.Database;
  /** Conversations not yet deleted, oldest first. */
  left: string[];
}

/** A history of `count` conversations, each of TURNS turns: the request, a tool call with its approval, its result, the reply. */
function history(name: string, count: number): History {
  const db = openDatabase(join(dir, `${name}.db`));
  const traces = openTracesConnection(join(dir, `${name}-traces.db`));
  const conversation = db.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const toolCall = db.prepare(
    "INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, decision_effect, approval, status, result_json, started_at, ended_at) VALUES (?, ?, ?, 'fs.write', '{\"path\":\"notes.md\"}', 'ask', 'approved', 'succeeded', '{\"ok\":true}', ?, ?)",
  );
  const approval = db.prepare("INSERT INTO approvals (id, tool_call_id, conversation_id, requested_at, expires_at, decided_at, outcome) VALUES (?, ?, ?, ?, ?, ?, 'approved')");
  const message = db.prepare('INSERT INTO messages (id, conversation_id, turn_id, role, content, tool_call_id, trace_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const span = traces.prepare(
    "INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, start_time, end_time, status, attributes_json) VALUES (?, ?, NULL, 'turn', 'turn', ?, ?, 'ok', json_object('gen_ai.conversation.id', ?))",
  );
  db.pragma('synchronous = OFF'); // generation only: the measured deletions run with the real setting
  db.transaction(() => {
    for (let c = 0; c < count; c++) {
      const id = `c${c}`;
      conversation.run(id, `Conversation ${c}`, c, c);
      for (let t = 0; t < TURNS; t++) {
        const turn = `${id}t${t}`;
        toolCall.run(`${turn}-call`, id, turn, c, c);
        approval.run(`${turn}-approval`, `${turn}-call`, id, c, c + 1, c);
        message.run(`${turn}-user`, id, turn, 'user', `please write note ${t} about topic ${c}`, null, turn, c);
        message.run(`${turn}-tool`, id, turn, 'tool', 'written', `${turn}-call`, turn, c);
        message.run(`${turn}-reply`, id, turn, 'assistant', `Wrote note ${t} for topic ${c}.`, null, turn, c);
        span.run(turn, `${turn}-root`, c, c + 1, id);
      }
    }
  })();
  db.pragma('synchronous = FULL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { db, traces, left: Array.from({ length: count }, (_, c) => `c${c}`) };
}

function deleteOldest(h: History): void {
  const id = h.left.shift();
  if (!id || !deleteConversationRows(h.db, h.traces, id)) throw new Error(`conversation ${id} was not there to delete`);
}

/** The retention service's cut: every conversation last updated before the 10% mark; ms per conversation deleted. */
function cutTenPercent(h: History): number {
  const cut = h.left.splice(0, Math.round(h.left.length / 10));
  const before = Number(cut.at(-1)!.slice(1)) + 1;
  const started = performance.now();
  const deleted = h.db.prepare('DELETE FROM conversations WHERE updated_at < ?').run(before).changes;
  const elapsed = performance.now() - started;
  if (deleted !== cut.length) throw new Error(`the cut deleted ${deleted} conversations, not ${cut.length}`);
  return elapsed / deleted;
}

async function main(): Promise<void> {
  const large = history('large', LARGE);
  const small = history('small', SMALL);
  const deletion = await compare(
    `delete one conversation (${TURNS} tool calls): ${LARGE.toLocaleString('en')} vs ${SMALL.toLocaleString('en')} conversations`,
    () => deleteOldest(large),
    () => deleteOldest(small),
    { iterations: Math.min(100, Math.floor(SMALL / 4)), rounds: 5, goal: '≈ 1× (costs what it deletes)' },
  );
  const largeCut = cutTenPercent(large);
  const smallCut = cutTenPercent(small);
  report('Deleting history', [deletion], {
    messagesInLargeHistory: LARGE * TURNS * 3,
    retentionCutMsPerConversation: { large: Number(largeCut.toFixed(2)), small: Number(smallCut.toFixed(2)), ratio: Number((largeCut / smallCut).toFixed(2)) },
  });
  for (const h of [large, small]) {
    h.db.close();
    h.traces.close();
  }
  rmSync(dir, { recursive: true, force: true });
}

void main();
