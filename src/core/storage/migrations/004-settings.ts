import type { Migration } from './migration';

/** Person-chosen settings as JSON values by key (model provider, retention, capture mode, ...). Never secrets. */
export const migration004: Migration = {
  version: 4,
  name: 'settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `);
  },
};
