import BetterSqlite3 from 'better-sqlite3';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/core/storage/migrate';
import { LATEST_SCHEMA_VERSION } from '../../src/core/storage/migrations/index';
import { openDatabase } from '../../src/core/storage/database';
import { SearchIndex } from '../../src/core/memory/search-index';
import { openTracesConnection } from '../../src/core/storage/traces/open-traces-database';
import { ToolCallStore } from '../../src/core/storage/stores/tool-call-store';
import { tempDir } from '../helpers/temp-dir';
import { scriptDecided } from '../../src/shared/approval-decider';
import { describeDecision } from '../../src/shared/tool-call-words';

/** A real database file at schema `version`, as an earlier release would have left it. */
function databaseAt(version: number) {
  const file = join(tempDir(), 'portcullis.db');
  const db = new BetterSqlite3(file);
  db.pragma('foreign_keys = ON');
  migrate(db, { target: version });
  expect(schemaVersion(db)).toBe(version);
  return { db, file };
}

function seedVersion1(db: BetterSqlite3.Database) {
  db.prepare("INSERT INTO conversations VALUES ('c1', 'Groceries', 1000, 2000)").run();
  db.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, tool_calls_json, created_at) VALUES ('m1', 'c1', 't1', 'user', 'list files', NULL, 1000)").run();
  db.prepare(`INSERT INTO messages (id, conversation_id, turn_id, role, content, tool_calls_json, created_at) VALUES ('m2', 'c1', 't1', 'assistant', '', '[{"id":"x","name":"fs.list","arguments":{}}]', 1001)`).run();
}

describe('migrations', () => {
  it('1 → 2 keeps conversations and messages and adds tool calls and approvals', () => {
    const { db } = databaseAt(1);
    seedVersion1(db);
    migrate(db, { target: 2 });
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT id, title FROM conversations').all()).toEqual([{ id: 'c1', title: 'Groceries' }]);
    expect(db.prepare('SELECT id, content, tool_call_id FROM messages ORDER BY seq').all()).toEqual([
      { id: 'm1', content: 'list files', tool_call_id: null },
      { id: 'm2', content: '', tool_call_id: null },
    ]);
    db.prepare("INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, status, started_at) VALUES ('tc1', 'c1', 't1', 'fs.list', '{}', 'succeeded', 1002)").run();
    db.prepare("INSERT INTO approvals (id, tool_call_id, conversation_id, requested_at, expires_at) VALUES ('a1', 'tc1', 'c1', 1002, 5000)").run();
    db.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, tool_call_id, created_at) VALUES ('m3', 'c1', 't1', 'tool', '', 'tc1', 1003)").run();
    expect(() => db.prepare("INSERT INTO approvals (id, tool_call_id, conversation_id, requested_at, expires_at) VALUES ('a2', 'nope', 'c1', 1, 2)").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('2 → 3 keeps everything and adds spans and the trace id of each message', () => {
    const { db } = databaseAt(2);
    seedVersion1(db);
    db.prepare("INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, status, started_at) VALUES ('tc1', 'c1', 't1', 'fs.list', '{}', 'succeeded', 1002)").run();
    migrate(db, { target: 3 });
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare('SELECT id, trace_id FROM messages ORDER BY seq').all()).toEqual([
      { id: 'm1', trace_id: null },
      { id: 'm2', trace_id: null },
    ]);
    expect(db.prepare('SELECT id, tool_name FROM tool_calls').all()).toEqual([{ id: 'tc1', tool_name: 'fs.list' }]);
    db.prepare("INSERT INTO spans VALUES ('s1', 't'||'0', NULL, 'turn', 'turn', 1.5, 2.5, 'ok', NULL, '{}')").run();
    expect(db.prepare('SELECT count(*) AS n FROM spans').get()).toEqual({ n: 1 });
    db.close();
  });

  it('3 → 4 keeps everything and adds typed settings', async () => {
    const { db } = databaseAt(3);
    seedVersion1(db);
    migrate(db, { target: 4 });
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 2 });
    const { SettingsStore } = await import('../../src/core/storage/stores/settings-store');
    const { z } = await import('zod');
    const settings = new SettingsStore(db);
    const Retention = z.object({ days: z.number().int().positive() });
    expect(settings.get('retention', Retention, { days: 30 })).toEqual({ days: 30 });
    settings.set('retention', Retention, { days: 7 }, 1);
    expect(settings.get('retention', Retention, { days: 30 })).toEqual({ days: 7 });
    expect(() => settings.set('retention', Retention, { days: -1 }, 2)).toThrow();
    db.prepare("UPDATE settings SET value_json = '{\"days\":\"many\"}'").run();
    expect(settings.get('retention', Retention, { days: 30 })).toEqual({ days: 30 });
    db.close();
  });

  it('10 → 11: a message deleted before is gone from the search index, and later deletions leave nothing in it', () => {
    const { db, file } = databaseAt(10);
    db.pragma('secure_delete = ON'); // as openDatabase sets it: freed pages are overwritten
    seedVersion1(db);
    db.prepare("UPDATE messages SET content = 'buy quetzalberries' WHERE id = 'm1'").run();
    db.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES ('m3', 'c1', 't2', 'user', 'plan tapirtrek', 1002)").run();
    db.prepare("DELETE FROM messages WHERE id = 'm1'").run();
    const inFile = (word: string) => (db.pragma('wal_checkpoint(TRUNCATE)'), readFileSync(file).includes(Buffer.from(word)));
    // Version 10's index still holds the deleted word, only marked deleted.
    expect(inFile('quetzalberries')).toBe(true);
    migrate(db, { target: 11 });
    expect(inFile('quetzalberries')).toBe(false);
    expect(db.prepare("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'tapirtrek'").get()).toEqual({ n: 1 });
    db.prepare("DELETE FROM messages WHERE id = 'm3'").run();
    expect(inFile('tapirtrek')).toBe(false);
    db.close();
  });

  it('12 → 13: calls stored before keep their rows, without the model’s id; new ones keep it', () => {
    const { db } = databaseAt(12);
    seedVersion1(db);
    db.prepare("INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, status, started_at) VALUES ('tc1', 'c1', 't1', 'fs.list', '{}', 'succeeded', 1002)").run();
    migrate(db, { target: 13 });
    const store = new ToolCallStore(db);
    expect(store.get('tc1')).toMatchObject({ id: 'tc1', status: 'succeeded' });
    expect(store.get('tc1')).not.toHaveProperty('modelCallId');
    store.insert({ ...store.get('tc1')!, id: 'tc2', modelCallId: 'call_7' });
    expect(store.get('tc2')).toMatchObject({ modelCallId: 'call_7' });
    db.close();
  });

  it('22 → 23: results listed before stay found and listed once, without rewriting them; a call still open is listed when it ends', () => {
    const { db, file } = databaseAt(22);
    db.pragma('journal_mode = WAL');
    seedVersion1(db);
    const insertCall = db.prepare("INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, status, result_json, started_at) VALUES (?, 'c1', 't1', 'fs.read', '{}', ?, ?, 1002)");
    insertCall.run('old', 'succeeded', JSON.stringify({ content: [{ type: 'text', text: 'puffinwordold' }] }));
    insertCall.run('running', 'running', null);
    const page = JSON.stringify({ path: 'notes.md', content: 'a stored result of about three kilobytes '.repeat(75) });
    for (let i = 0; i < 300; i++) insertCall.run(`read${i}`, 'succeeded', page);
    db.pragma('wal_checkpoint(TRUNCATE)');
    migrate(db, { target: 23 });
    // Its schema and the open call's row, not the ~1 MB of stored results (each rewritten when the column was set on them).
    expect(statSync(`${file}-wal`).size).toBeLessThan(200_000);
    const search = new SearchIndex(db);
    expect(search.search('puffinwordold', { toolResults: true }).map((hit) => hit.id)).toEqual(['old']);
    const store = new ToolCallStore(db);
    store.update({ ...store.get('running')!, status: 'succeeded', result: { content: [{ type: 'text', text: 'puffinwordnew' }] }, endedAt: 1003 });
    expect(search.search('puffinwordnew', { toolResults: true }).map((hit) => hit.id)).toEqual(['running']);
    expect(db.prepare("SELECT tool_call_id FROM tool_result_rows WHERE tool_call_id NOT LIKE 'read%' ORDER BY seq").pluck().all()).toEqual(['old', 'running']);
    db.exec("INSERT INTO tool_results_fts(tool_results_fts) VALUES ('integrity-check')");
    db.close();
  });

  it('every foreign key has an index on its column, so deleting a parent row does not read the whole child table', () => {
    const { db } = databaseAt(LATEST_SCHEMA_VERSION);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    const unindexed: string[] = [];
    for (const table of tables) {
      const leading = new Set((db.pragma(`index_list("${table}")`) as Array<{ name: string }>).map((index) => (db.pragma(`index_info("${index.name}")`) as Array<{ name: string }>)[0]?.name));
      const primaryKey = (db.pragma(`table_info("${table}")`) as Array<{ name: string; pk: number }>).find((column) => column.pk === 1)?.name;
      for (const key of db.pragma(`foreign_key_list("${table}")`) as Array<{ from: string; table: string }>) {
        if (!leading.has(key.from) && key.from !== primaryKey) unindexed.push(`${table}.${key.from} → ${key.table}`);
      }
    }
    expect(unindexed).toEqual([]);
    // What a conversation's deletion asks of its tool calls' children: index searches, not scans.
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((row) => row.detail).join('; ');
    expect(plan("SELECT 1 FROM messages WHERE tool_call_id = 'x'")).toMatch(/SEARCH messages USING (COVERING )?INDEX messages_by_tool_call/);
    expect(plan("SELECT 1 FROM approvals WHERE tool_call_id = 'x'")).toMatch(/SEARCH approvals USING (COVERING )?INDEX approvals_by_tool_call/);
    db.close();
  });

  it("traces.db finds a conversation's root spans by index, not by reading every root's attributes", () => {
    const traces = openTracesConnection(join(tempDir(), 'traces.db'));
    const plan = (traces.prepare('EXPLAIN QUERY PLAN SELECT trace_id FROM spans WHERE parent_span_id IS NULL AND conversation_id = ?').all('c') as Array<{ detail: string }>).map((row) => row.detail).join('; ');
    expect(plan).toMatch(/SEARCH spans USING INDEX spans_roots_by_conversation \(conversation_id=\?\)/);
    traces.close();
  });

  it('26 → 27 keeps who answered an approval; a call from before reads as the person\'s, as it did', () => {
    const { db } = databaseAt(26);
    db.prepare("INSERT INTO conversations VALUES ('c1', 'Notes', 1000, 2000)").run();
    db.prepare(`INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, decision_effect, approval, status, error_code, error_message, started_at, ended_at)
      VALUES ('old', 'c1', 't1', 'fs.write', '{}', 'ask', 'denied', 'denied', 'APPROVAL_REJECTED', 'The person denied fs.write.', 1000, 1001)`).run();
    migrate(db, { target: 27 });
    const store = new ToolCallStore(db);
    expect(describeDecision(store.get('old')!)).toBe('denied by you');
    store.update({ ...store.get('old')!, decidedBy: scriptDecided('none') });
    expect(store.get('old')).toMatchObject({ decidedBy: 'script: --approve none' });
    expect(describeDecision(store.get('old')!)).toBe("denied by the script's --approve none");
    db.close();
  });

  it('openDatabase brings an old file to the latest version and reopens it unchanged', () => {
    const { db, file } = databaseAt(1);
    seedVersion1(db);
    db.close();
    const upgraded = openDatabase(file);
    expect(schemaVersion(upgraded)).toBe(LATEST_SCHEMA_VERSION);
    expect(upgraded.pragma('journal_mode', { simple: true })).toBe('wal');
    upgraded.close();
    const again = openDatabase(file);
    expect(again.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 2 });
    again.close();
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const { db, file } = databaseAt(LATEST_SCHEMA_VERSION);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer Portcullis/);
    const check = new BetterSqlite3(file);
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 1);
    check.close();
  });

  it('two processes upgrading one old file at once take each step once: the second finds it taken under the lock', () => {
    const file = join(tempDir(), 'portcullis.db');
    const [first, second] = [new BetterSqlite3(file), new BetterSqlite3(file)];
    const ran: string[] = [];
    const steps = [1, 2].map((version) => ({ version, name: `step ${version}`, up: (d: BetterSqlite3.Database) => { ran.push(`step ${version}`); d.exec(`CREATE TABLE made_by_step_${version} (x)`); } }));
    // The second process takes every step between the first one's look at the version and its first step.
    const readPragma = first.pragma.bind(first);
    let raced = false;
    first.pragma = ((source: string, options?: BetterSqlite3.PragmaOptions) => {
      const out = readPragma(source, options);
      if (!raced && source === 'user_version') {
        raced = true;
        migrate(second, { migrations: steps });
      }
      return out;
    }) as typeof first.pragma;
    expect(migrate(first, { migrations: steps })).toBe(2);
    expect(ran).toEqual(['step 1', 'step 2']);
    first.close();
    second.close();
  });

  it('a failing migration rolls back to the previous whole version', () => {
    const { db } = databaseAt(1);
    const broken = [
      { version: 1, name: 'noop', up: () => {} },
      { version: 2, name: 'half', up: (d: BetterSqlite3.Database) => { d.exec('CREATE TABLE half_done (x)'); d.exec('THIS IS NOT SQL'); } },
    ];
    expect(() => migrate(db, { migrations: broken })).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()).toEqual({ n: 0 });
    db.close();
  });
});
