import type { Migration } from './migration';

/**
 * Who made a request the person did not type: a direct call's (the terminal's `portcullis tools call`, a script's
 * `tools.call` by its key, an MCP client by its name). The chat labelled it "You"; null is the person's own message.
 * Version 18.
 */
export const migration018: Migration = {
  version: 18,
  name: 'message authors',
  up(db) {
    db.exec('ALTER TABLE messages ADD COLUMN author TEXT');
  },
};
