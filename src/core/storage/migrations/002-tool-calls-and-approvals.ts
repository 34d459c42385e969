import type { Migration } from './migration';

/** Governed tool calls with their policy decision and outcome, approvals, and the link from a tool message. */
export const migration002: Migration = {
  version: 2,
  name: 'tool calls and approvals',
  up(db) {
    db.exec(`
      CREATE TABLE tool_calls (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        turn_id TEXT NOT NULL,
        tool_name TEXT NOT NULL,
        arguments_json TEXT NOT NULL,
        decision_effect TEXT CHECK (decision_effect IN ('allow', 'ask', 'deny')),
        decision_rule_id TEXT,
        decision_reason TEXT,
        approval TEXT CHECK (approval IN ('approved', 'denied', 'timed_out')),
        status TEXT NOT NULL,
        result_json TEXT,
        error_code TEXT,
        error_message TEXT,
        started_at INTEGER NOT NULL,
        ended_at INTEGER
      );
      CREATE INDEX tool_calls_by_conversation ON tool_calls(conversation_id, started_at);
      CREATE TABLE approvals (
        id TEXT PRIMARY KEY,
        tool_call_id TEXT NOT NULL REFERENCES tool_calls(id) ON DELETE CASCADE,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        requested_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        decided_at INTEGER,
        outcome TEXT CHECK (outcome IN ('approved', 'denied', 'timed_out')),
        note TEXT
      );
      ALTER TABLE messages ADD COLUMN tool_call_id TEXT REFERENCES tool_calls(id);
    `);
  },
};
