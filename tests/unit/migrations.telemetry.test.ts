import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/core/storage/migrate';
import { migration008 } from '../../src/core/storage/migrations/008-telemetry';
import { SpanStore } from '../../src/core/storage/stores/span-store';
import { tempDir } from '../helpers/temp-dir';

describe('migration 008 (telemetry)', () => {
  it('N−1 → N keeps stored spans, derives their tool and conversation, and adds events and counters', () => {
    const db = new BetterSqlite3(join(tempDir(), 'portcullis.db'));
    const before = migration008.version - 1;
    migrate(db, { target: before });
    const insert = db.prepare("INSERT INTO spans VALUES (?, 't1', ?, ?, ?, ?, ?, ?, NULL, ?)");
    insert.run('root', null, 'invoke_agent portcullis', 'turn', 1000, 1100, 'ok', JSON.stringify({ 'gen_ai.conversation.id': 'c1' }));
    insert.run('tool', 'root', 'execute_tool fs.read', 'tool', 1010, 1050, 'error', JSON.stringify({ 'gen_ai.tool.name': 'fs.read' }));
    insert.run('other', null, 'invoke_agent portcullis', 'turn', 2000, 2100, 'ok', JSON.stringify({ 'gen_ai.conversation.id': 'c2' }));
    db.prepare("UPDATE spans SET trace_id = 't2' WHERE span_id = 'other'").run();

    migrate(db, { target: migration008.version });
    expect(schemaVersion(db)).toBe(migration008.version);
    expect(db.prepare('SELECT span_id, tool_name, conversation_id, events_json FROM spans ORDER BY start_time').all()).toEqual([
      { span_id: 'root', tool_name: null, conversation_id: 'c1', events_json: null },
      { span_id: 'tool', tool_name: 'fs.read', conversation_id: null, events_json: null },
      { span_id: 'other', tool_name: null, conversation_id: 'c2', events_json: null },
    ]);
    const store = new SpanStore(db);
    expect(store.byTrace('t1').map((s) => s.spanId)).toEqual(['root', 'tool']);
    expect(store.listTraces({ toolName: 'fs.read' })).toEqual([
      { traceId: 't1', name: 'invoke_agent portcullis', conversationId: 'c1', startTime: 1000, endTime: 1100, spanCount: 2, errorCount: 1, deniedCount: 0, status: 'ok', toolNames: ['fs.read'] },
    ]);
    expect(store.listTraces({ conversationId: 'c2' }).map((t) => t.traceId)).toEqual(['t2']);
    expect(store.listTraces({ since: 1500 }).map((t) => t.traceId)).toEqual(['t2']);
    store.addToCounter('spans.dropped.store', 3, 1);
    store.addToCounter('spans.dropped.store', 2, 2);
    expect(store.counter('spans.dropped.store')).toBe(5);
    expect(store.deleteTracesEndedBefore(1500)).toBe(2);
    expect(store.count()).toBe(1);
    db.close();
  });
});
