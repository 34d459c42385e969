import type { Migration } from './migration';

/**
 * What the approval's "Allow for this conversation" covered when it was chosen (`allowed_for`: "this conversation", or
 * "claude-code today" in a caller's conversation of the day): the call's card then says "approved by you for
 * claude-code today", as the button did. Null for any other answer, and for calls before it. Version 30.
 */
export const migration030: Migration = {
  version: 30,
  name: 'call allowance reach',
  up(db) {
    db.exec('ALTER TABLE tool_calls ADD COLUMN allowed_for TEXT');
  },
};
