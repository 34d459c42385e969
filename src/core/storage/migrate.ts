import type { Database } from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { migrations as allMigrations } from './migrations/index';
import type { Migration } from './migrations/migration';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to `target` (default: latest), one transaction per migration so that a crash leaves the
 * database at a whole version. A database newer than this build knows is refused, never downgraded.
 */
export function migrate(db: Database, options: { target?: number; migrations?: readonly Migration[] } = {}): number {
  const migrations = options.migrations ?? allMigrations;
  const latest = migrations.at(-1)?.version ?? 0;
  const target = options.target ?? latest;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new AppError(
      'DATABASE_ERROR',
      `The database was written by a newer Portcullis (schema ${current}; this build knows ${latest}). ` +
        'Update Portcullis, or point it at another data folder; the file has not been changed.',
    );
  }
  // By version, not by index: a version number may be missing while parallel branches are merged.
  for (const migration of migrations.filter((m) => m.version > current && m.version <= target)) {
    db.transaction(() => {
      // Another process opening the same old file (the app and a command started together) may have taken this
      // step while this one waited for the write lock: read again under the lock, never run a step twice.
      if (schemaVersion(db) >= migration.version) return;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}
