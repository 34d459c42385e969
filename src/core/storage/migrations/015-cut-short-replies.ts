import type { Migration } from './migration';

/**
 * Marks a reply the turn ended in the middle of (Stop, Portcullis closing): kept as the person read it, but not
 * an answer, so after a reload or a restart it still says it was cut short and the turn can be retried. Version 15.
 */
export const migration015: Migration = {
  version: 15,
  name: 'cut-short replies',
  up(db) {
    db.exec('ALTER TABLE messages ADD COLUMN cut_short INTEGER NOT NULL DEFAULT 0');
  },
};
