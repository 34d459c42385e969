import type { Migration } from './migration';

/**
 * The person's "always allow" rules (revocable, kept after revocation for the record), per-conversation
 * allowances, where a conversation read untrusted content, and the audit log as a hash chain.
 */
export const migration005: Migration = {
  version: 5,
  name: 'policy rules, taint and audit',
  up(db) {
    db.exec(`
      CREATE TABLE policy_user_rules (
        id TEXT PRIMARY KEY,
        tool_name TEXT NOT NULL,
        server TEXT,
        args_json TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        approval_id TEXT,
        revoked_at INTEGER
      );
      CREATE TABLE conversation_allowances (
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        tool_name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, tool_name)
      );
      CREATE TABLE taint_sources (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        tool_call_id TEXT NOT NULL,
        tool_name TEXT NOT NULL,
        description TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX taint_by_conversation ON taint_sources(conversation_id, seq);
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        conversation_id TEXT,
        tool_call_id TEXT,
        data_json TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TABLE audit_anchor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      );
    `);
  },
};
