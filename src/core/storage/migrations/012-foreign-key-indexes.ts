import type { Migration } from './migration';

/**
 * Indexes for the three foreign keys that had none. Deleting a parent row makes SQLite look up its children (to
 * cascade, or to check none remain), and without an index on the child's key each lookup reads the whole child
 * table: a retention cut or a conversation's deletion grew with the square of the history. Deleting one of 4,000
 * conversations with 10 tool calls each took 95 ms (12× the same deletion among 400), a retention cut 92 ms per
 * conversation; with these and `traces.db`'s index of roots by conversation, 3.6 ms and 2.1 ms, the same as among
 * 400 (`bench/retention.bench.ts`). Version 12.
 */
export const migration012: Migration = {
  version: 12,
  name: 'foreign key indexes',
  up(db) {
    db.exec(`
      CREATE INDEX IF NOT EXISTS messages_by_tool_call ON messages(tool_call_id);
      CREATE INDEX IF NOT EXISTS approvals_by_tool_call ON approvals(tool_call_id);
      CREATE INDEX IF NOT EXISTS approvals_by_conversation ON approvals(conversation_id);
    `);
  },
};
