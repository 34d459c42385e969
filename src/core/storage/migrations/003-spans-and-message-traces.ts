import type { Migration } from './migration';

/** Span storage for the trace viewer, and the trace id on each message so the chat links to its trace. */
export const migration003: Migration = {
  version: 3,
  name: 'spans and message traces',
  up(db) {
    db.exec(`
      CREATE TABLE spans (
        span_id TEXT PRIMARY KEY,
        trace_id TEXT NOT NULL,
        parent_span_id TEXT,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        start_time REAL NOT NULL,
        end_time REAL NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
        status_message TEXT,
        attributes_json TEXT NOT NULL
      );
      CREATE INDEX spans_by_trace ON spans(trace_id, start_time);
      ALTER TABLE messages ADD COLUMN trace_id TEXT;
    `);
  },
};
