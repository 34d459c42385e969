import type { Migration } from './migration';

/**
 * Tells a direct call's request (no model took part: `tools call`, a script's `tools.call`, an MCP client) apart from
 * a message someone other than the person sent to start a turn of the model's (`portcullis chat` beside the app, a
 * key's `chat.send`): both name who sent them (`author`), only the first is drawn as a call. Every message with an
 * author so far was a direct call's request. Version 25.
 */
export const migration025: Migration = {
  version: 25,
  name: 'direct call requests',
  up(db) {
    db.exec('ALTER TABLE messages ADD COLUMN direct_call INTEGER NOT NULL DEFAULT 0');
    db.exec("UPDATE messages SET direct_call = 1 WHERE role = 'user' AND author IS NOT NULL");
  },
};
