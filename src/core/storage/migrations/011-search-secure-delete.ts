import type { Migration } from './migration';

/**
 * FTS5 keeps a deleted row's words in its index segments (only marked deleted) until the segments happen to be
 * merged, so a deleted message or memory stayed readable in the file through its search index. `secure-delete`
 * removes them with the row; the one `optimize` merges away what earlier deletions left behind. Version 11.
 */
export const migration011: Migration = {
  version: 11,
  name: 'search secure delete',
  up(db) {
    for (const table of ['messages_fts', 'memories_fts']) {
      db.exec(`INSERT INTO ${table}(${table}, rank) VALUES ('secure-delete', 1); INSERT INTO ${table}(${table}) VALUES ('optimize');`);
    }
  },
};
