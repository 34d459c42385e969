import type { Migration } from './migration';

/**
 * Which process runs a turn in a conversation: two Portcullis processes on one data folder (a second `serve`, the
 * app and a script) each knew only their own turns, and both answered the same conversation at once. A row lives
 * for one turn; `instance` names the holder's lock file, which says whether it still runs. Version 16.
 */
export const migration016: Migration = {
  version: 16,
  name: 'turn claims',
  up(db) {
    db.exec(`CREATE TABLE turn_claims (
      conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
      turn_id TEXT NOT NULL,
      pid INTEGER NOT NULL,
      instance TEXT NOT NULL,
      claimed_at INTEGER NOT NULL
    )`);
  },
};
