import type { Migration } from '../migration';

/**
 * A conversation's traces, found by their root spans: deleting a conversation looked for them by reading every
 * root span's attributes (the conversation id is a column generated from them), so it grew with the whole
 * history. Version 2 of `traces.db`.
 */
export const tracesMigration002: Migration = {
  version: 2,
  name: 'root spans by conversation',
  up(db) {
    db.exec('CREATE INDEX IF NOT EXISTS spans_roots_by_conversation ON spans(conversation_id) WHERE parent_span_id IS NULL;');
  },
};
