import type { Migration } from './migration';

/**
 * The reply a model is streaming, as far as the person has read it, rewritten every half second while it streams:
 * a process killed mid-reply (kill -9, a crash) kept nothing of it, where Stop keeps it cut short. At the next
 * start it becomes that cut-short reply. One row per conversation (one turn runs in it at a time), deleted in the
 * transaction that stores the step's message; no search trigger (it is searchable once it is a message). Version 31.
 */
export const migration031: Migration = {
  version: 31,
  name: 'reply drafts',
  up(db) {
    db.exec(`CREATE TABLE reply_drafts (
      conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
      turn_id TEXT NOT NULL,
      trace_id TEXT,
      content TEXT NOT NULL,
      reasoning TEXT,
      reasoning_ms INTEGER,
      updated_at INTEGER NOT NULL
    )`);
  },
};
