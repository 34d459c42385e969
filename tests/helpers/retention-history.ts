import type BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { SearchIndex } from '../../src/core/memory/search-index';
import { openDatabase } from '../../src/core/storage/database';
import { openTracesConnection } from '../../src/core/storage/traces/open-traces-database';

export const DAY = 86_400_000;
export const NOW = 1_800_000_000_000;

export interface RetentionHistory {
  file: string;
  tracesFile: string;
  db: BetterSqlite3.Database;
  traces: BetterSqlite3.Database;
  /** Ids of the conversations older than 30 days, oldest first, then of the recent ones. */
  old: string[];
  recent: string[];
  /** Messages (and tool calls) per conversation. */
  messagesEach: number;
  callsEach: number;
}

/**
 * `old` conversations 40 days older than `now` (default NOW) and `recent` ones a day old, each with `calls` read calls (their results in the
 * search index, so each deletion takes words out with secure-delete), three messages a call and a root span a call,
 * in real files under `dir`.
 */
export function retentionHistory(dir: string, counts: { old: number; recent: number; calls?: number; now?: number }): RetentionHistory {
  const calls = counts.calls ?? 10;
  const now = counts.now ?? NOW;
  const file = join(dir, 'portcullis.db');
  const tracesFile = join(dir, 'traces.db');
  const db = openDatabase(file);
  const traces = openTracesConnection(tracesFile);
  const conversation = db.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const call = db.prepare(
    // result_listed 0, as ToolCallStore writes a new call: the indexer lists its result (migration 23).
    "INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, decision_effect, status, result_json, started_at, ended_at, result_listed) VALUES (?, ?, ?, 'fs.read', '{}', 'allow', 'succeeded', ?, ?, ?, 0)",
  );
  const message = db.prepare('INSERT INTO messages (id, conversation_id, turn_id, role, content, tool_call_id, trace_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const span = traces.prepare(
    "INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, start_time, end_time, status, attributes_json) VALUES (?, ?, NULL, 'turn', 'turn', ?, ?, 'ok', json_object('gen_ai.conversation.id', ?))",
  );
  const old = Array.from({ length: counts.old }, (_, i) => `old${String(i).padStart(4, '0')}`);
  const recent = Array.from({ length: counts.recent }, (_, i) => `new${String(i).padStart(4, '0')}`);
  const body = (n: number): string => Array.from({ length: 300 }, (_, w) => `word${(n * 7 + w) % 997}`).join(' ');
  db.transaction(() => {
    [...old, ...recent].forEach((id, c) => {
      const at = c < old.length ? now - 40 * DAY + c : now - DAY + c;
      conversation.run(id, id, at, at);
      for (let t = 0; t < calls; t++) {
        const turn = `${id}-t${t}`;
        call.run(`${turn}-call`, id, turn, JSON.stringify({ path: `notes/${turn}.md`, content: body(c * calls + t) }), at, at);
        message.run(`${turn}-user`, id, turn, 'user', `read note ${t} of ${id}`, null, turn, at);
        message.run(`${turn}-tool`, id, turn, 'tool', '', `${turn}-call`, turn, at);
        message.run(`${turn}-reply`, id, turn, 'assistant', `note ${t} of ${id} says ${body(t)}`, null, turn, at);
        span.run(`${turn}`.padEnd(32, '0'), `${turn}`.padEnd(16, '0').slice(0, 16), at, at + 1, id);
      }
    });
  })();
  new SearchIndex(db).toolResults.indexAll();
  return { file, tracesFile, db, traces, old, recent, messagesEach: calls * 3, callsEach: calls };
}

/** Per conversation id: its messages and tool calls now. A conversation deleted whole has neither. */
export function rowsPerConversation(db: BetterSqlite3.Database): Map<string, { conversation: boolean; messages: number; calls: number }> {
  const rows = new Map<string, { conversation: boolean; messages: number; calls: number }>();
  const at = (id: string) => rows.get(id) ?? rows.set(id, { conversation: false, messages: 0, calls: 0 }).get(id)!;
  for (const id of db.prepare('SELECT id FROM conversations').pluck().all() as string[]) at(id).conversation = true;
  for (const r of db.prepare('SELECT conversation_id AS id, count(*) AS n FROM messages GROUP BY conversation_id').all() as { id: string; n: number }[]) at(r.id).messages = r.n;
  for (const r of db.prepare('SELECT conversation_id AS id, count(*) AS n FROM tool_calls GROUP BY conversation_id').all() as { id: string; n: number }[]) at(r.id).calls = r.n;
  return rows;
}

/** FTS5's own check of the three search indexes against their tables (throws SQLITE_CORRUPT_VTAB otherwise). */
export function searchIndexesAgree(db: BetterSqlite3.Database): void {
  for (const fts of ['messages_fts', 'memories_fts', 'tool_results_fts']) db.exec(`INSERT INTO ${fts}(${fts}) VALUES ('integrity-check')`);
}
