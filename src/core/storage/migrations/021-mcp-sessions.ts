import type { Migration } from './migration';

/**
 * The sessions MCP clients opened at `/mcp`, so that one survives a restart of Portcullis: clients keep their
 * session id and do not initialize again on a 404, so every call failed until the person reconnected them. A row
 * holds what the session is made of: whose it is (`principal_*`; a key's current scopes are looked up, a JWT's
 * were in the token), what its client said at initialize (protocol version, capabilities, name), the tools its URL
 * picked, and its conversation (where its allowances and taint are; no foreign key: a private chat is not in this
 * file, and a deleted one is replaced at the next call). No secret is stored. Version 21.
 */
export const migration021: Migration = {
  version: 21,
  name: 'mcp sessions',
  up(db) {
    db.exec(`CREATE TABLE mcp_sessions (
      id TEXT PRIMARY KEY,
      principal_kind TEXT NOT NULL,
      principal_id TEXT NOT NULL,
      scopes_json TEXT NOT NULL,
      expires_at INTEGER,
      initialize_json TEXT NOT NULL,
      tools TEXT,
      conversation_id TEXT,
      opened_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL
    )`);
  },
};
