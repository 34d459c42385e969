import type { Migration } from './migration';

/**
 * Spans without a primary key on `span_id`. Its index took each stored span to a random place in a B-tree, so a
 * batch of 64 spans rewrote about as many 4 KiB index pages: ~10 KB of WAL per span, most of what the span
 * writer thread wrote and checkpointed. A span id is only unique within its trace, and the store never looks a
 * span up by it; rows now go in write order, and with time-ordered trace ids (`newTraceId`) the remaining
 * indexes grow at their ends too (docs/storage.md). Same columns and indexes otherwise; rows are copied in start
 * order. Version 10.
 */
export const migration010: Migration = {
  version: 10,
  name: 'spans in write order',
  up(db) {
    db.exec(`
      CREATE TABLE spans_in_write_order (
        span_id TEXT NOT NULL,
        trace_id TEXT NOT NULL,
        parent_span_id TEXT,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        start_time REAL NOT NULL,
        end_time REAL NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
        status_message TEXT,
        attributes_json TEXT NOT NULL,
        events_json TEXT,
        tool_name TEXT GENERATED ALWAYS AS (json_extract(attributes_json, '$."gen_ai.tool.name"')) VIRTUAL,
        conversation_id TEXT GENERATED ALWAYS AS (json_extract(attributes_json, '$."gen_ai.conversation.id"')) VIRTUAL
      );
      INSERT INTO spans_in_write_order
          (span_id, trace_id, parent_span_id, name, kind, start_time, end_time, status, status_message, attributes_json, events_json)
        SELECT span_id, trace_id, parent_span_id, name, kind, start_time, end_time, status, status_message, attributes_json, events_json
        FROM spans ORDER BY start_time, rowid;
      DROP TABLE spans;
      ALTER TABLE spans_in_write_order RENAME TO spans;
      CREATE INDEX spans_by_trace ON spans(trace_id, start_time);
      CREATE INDEX spans_by_start ON spans(start_time);
      CREATE INDEX spans_roots ON spans(start_time) WHERE parent_span_id IS NULL;
      CREATE INDEX spans_by_tool ON spans(tool_name, trace_id) WHERE tool_name IS NOT NULL;
      CREATE INDEX spans_errors ON spans(trace_id) WHERE status = 'error';
    `);
  },
};
