import type { Migration } from './migration';

/**
 * The tools an API key may call (`keys create --tools "fs.read,everything.*"`): globs over Portcullis' names, as
 * JSON. Null: every tool, as every key made before could call.
 * Version 19.
 */
export const migration019: Migration = {
  version: 19,
  name: 'api key tools',
  up(db) {
    db.exec('ALTER TABLE api_keys ADD COLUMN tools_json TEXT');
  },
};
