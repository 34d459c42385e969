import type { Migration } from './migration';

/**
 * Who chose "Allow for this conversation" (`allowed_by`: as an approval's `decided_by`, e.g. `api: key "nightly"`;
 * null for the person): the calls it lets run then say "allowed for this conversation by key "nightly"", not "by
 * you". Rows before it read as the person's, as they did. Version 28.
 */
export const migration028: Migration = {
  version: 28,
  name: 'conversation allowance givers',
  up(db) {
    db.exec('ALTER TABLE conversation_allowances ADD COLUMN allowed_by TEXT');
  },
};
