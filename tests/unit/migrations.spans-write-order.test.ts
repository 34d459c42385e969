import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/core/storage/migrate';
import { migration010 } from '../../src/core/storage/migrations/010-spans-in-write-order';
import { SpanStore } from '../../src/core/storage/stores/span-store';
import { tempDir } from '../helpers/temp-dir';

describe('migration 010 (spans in write order)', () => {
  it(`${migration010.version - 1} → ${migration010.version} keeps every span, its derived columns and indexes, and drops only the span_id key`, () => {
    const db = new BetterSqlite3(join(tempDir(), 'portcullis.db'));
    migrate(db, { target: migration010.version - 1 });
    const insert = db.prepare('INSERT INTO spans (span_id, trace_id, parent_span_id, name, kind, start_time, end_time, status, status_message, attributes_json, events_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    // Written out of start order, so the copy's order is seen to come from start_time.
    insert.run('tool', 't1', 'root', 'execute_tool fs.read', 'tool', 1010, 1050, 'error', 'EACCES', JSON.stringify({ 'gen_ai.tool.name': 'fs.read' }), '[{"name":"e","time":1020}]');
    insert.run('root', 't1', null, 'invoke_agent portcullis', 'turn', 1000, 1100, 'ok', null, JSON.stringify({ 'gen_ai.conversation.id': 'c1' }), null);
    insert.run('other', 't2', null, 'invoke_agent portcullis', 'turn', 2000, 2100, 'ok', null, JSON.stringify({ 'gen_ai.conversation.id': 'c2' }), null);
    const indexesBefore = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'spans' AND sql IS NOT NULL ORDER BY name").all();

    migrate(db, { target: migration010.version });
    expect(schemaVersion(db)).toBe(migration010.version);
    expect(db.prepare('SELECT span_id, tool_name, conversation_id, status_message, events_json FROM spans ORDER BY rowid').all()).toEqual([
      { span_id: 'root', tool_name: null, conversation_id: 'c1', status_message: null, events_json: null },
      { span_id: 'tool', tool_name: 'fs.read', conversation_id: null, status_message: 'EACCES', events_json: '[{"name":"e","time":1020}]' },
      { span_id: 'other', tool_name: null, conversation_id: 'c2', status_message: null, events_json: null },
    ]);
    expect(db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'spans' AND sql IS NOT NULL ORDER BY name").all()).toEqual(indexesBefore);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE tbl_name = 'spans' AND name LIKE 'sqlite_autoindex%'").get()).toEqual({ n: 0 });

    const store = new SpanStore(db);
    expect(store.byTrace('t1').map((s) => s.spanId)).toEqual(['root', 'tool']);
    expect(store.listTraces({ toolName: 'fs.read' }).map((t) => [t.traceId, t.spanCount, t.errorCount])).toEqual([['t1', 2, 1]]);
    expect(store.contains({ traceId: 't1', spanId: 'tool' })).toBe(true);
    expect(store.contains({ traceId: 't2', spanId: 'tool' })).toBe(false);
    db.close();
  });
});
