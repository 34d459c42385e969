import type { Migration } from './migration';

/**
 * Telemetry: span events, indexed columns the traces list filters on (derived from the attributes, so no
 * writer can let them drift), and persistent counters such as dropped spans (so a drop is never silent,
 * even across restarts). Numbered 008 by assignment; `version` is its place in this branch's list and is
 * renumbered at merge.
 */
export const migration008: Migration = {
  version: 8,
  name: 'telemetry',
  up(db) {
    db.exec(`
      ALTER TABLE spans ADD COLUMN events_json TEXT;
      ALTER TABLE spans ADD COLUMN tool_name TEXT GENERATED ALWAYS AS (json_extract(attributes_json, '$."gen_ai.tool.name"')) VIRTUAL;
      ALTER TABLE spans ADD COLUMN conversation_id TEXT GENERATED ALWAYS AS (json_extract(attributes_json, '$."gen_ai.conversation.id"')) VIRTUAL;
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
