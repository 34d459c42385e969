import type { Migration } from './migration';

/**
 * What a memory was saved beside: the untrusted content its conversation held when the model saved it (web
 * content, a server's words), or null. A memory read back later in another conversation carries that taint
 * with it, so the person's approval of the save does not make such words trusted. Version 14.
 */
export const migration014: Migration = {
  version: 14,
  name: 'memory taint',
  up(db) {
    db.exec('ALTER TABLE memories ADD COLUMN taint_source TEXT');
  },
};
