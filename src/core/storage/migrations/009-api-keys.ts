import type { Migration } from './migration';

/**
 * Local API keys. Only a SHA-256 hash of each key is kept (keys are 256-bit random, so a fast hash is enough);
 * the key itself is shown once when created. `id` is the public part of the key, used to find its row.
 * Version 9.
 */
export const migration009: Migration = {
  version: 9,
  name: 'api-keys',
  up(db) {
    db.exec(`
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL,
        scopes_json TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        revoked_at INTEGER,
        last_used_at INTEGER
      );
    `);
  },
};
