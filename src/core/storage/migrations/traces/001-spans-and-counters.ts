import type { Migration } from '../migration';

/**
 * The traces file's first schema: spans (as `portcullis.db` held them at its version 10, in write order) and the
 * telemetry counters (dropped spans). Its own version sequence, in `traces.db`'s `user_version`.
 */
export const tracesMigration001: Migration = {
  version: 1,
  name: 'spans and counters',
  up(db) {
    db.exec(`
      CREATE TABLE spans (
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
      CREATE INDEX spans_by_trace ON spans(trace_id, start_time);
      CREATE INDEX spans_by_start ON spans(start_time);
      CREATE INDEX spans_roots ON spans(start_time) WHERE parent_span_id IS NULL;
      CREATE INDEX spans_by_tool ON spans(tool_name, trace_id) WHERE tool_name IS NOT NULL;
      CREATE INDEX spans_errors ON spans(trace_id) WHERE status = 'error';
      CREATE TABLE telemetry_counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `);
  },
};
