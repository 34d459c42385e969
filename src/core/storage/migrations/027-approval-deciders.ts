import type { Migration } from './migration';

/**
 * Who answered each approval (`decided_by`: "person: deny", "api: key "nightly"", "script: --approve none",
 * "timeout"…), kept on the approval and on its call, so the call's card and what the model is told say who denied it:
 * a script's --approve list or a key's answer read as the person's own. Rows before it have none and read as before
 * (the person's). Version 27.
 */
export const migration027: Migration = {
  version: 27,
  name: 'approval deciders',
  up(db) {
    db.exec('ALTER TABLE tool_calls ADD COLUMN decided_by TEXT');
    db.exec('ALTER TABLE approvals ADD COLUMN decided_by TEXT');
  },
};
