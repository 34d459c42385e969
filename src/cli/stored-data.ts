import { existsSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { dataFolderPaths } from '../core/config/data-paths';
import { openDatabase } from '../core/storage/database';

/**
 * Whether the data folder exists: where it does not, it has no MCP servers, and a command that lists what servers
 * offer lists none and makes none (nor the folder: a mistyped --data-dir).
 */
export function hasDataFolder(dataDir: string | undefined): boolean {
  return existsSync(dataFolderPaths(dataDir).dataDir);
}

/** Whether the data folder has a database yet: where it has none, a command that lists stored things has none to list. */
export function hasStoredData(dataDir: string | undefined): boolean {
  return existsSync(dataFolderPaths(dataDir).databaseFile);
}

/**
 * Runs `read` on the data folder's database, for a command that only reads it (`conversations`, `search`). No
 * runtime is started, so nothing is created beside the database (a workspace, logs/, runtimes/); where there is no
 * database yet, there is nothing to read: `read` gets null, and not even the data folder is created.
 */
export async function readStoredData<T>(dataDir: string | undefined, read: (db: Database | null) => T | Promise<T>): Promise<T> {
  const { databaseFile } = dataFolderPaths(dataDir);
  if (!existsSync(databaseFile)) return read(null);
  const db = openDatabase(databaseFile);
  try {
    return await read(db);
  } finally {
    db.close();
  }
}
