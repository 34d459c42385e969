import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';

/**
 * An exclusive SQLite lock on `file`, held until closed or until the process ends, however it ends: the OS lets go
 * of it with the process. 'held': another process (or another lock in this one) has it. 'absent': `create` was
 * false and there is no such file. null: the folder allows no lock (read-only); callers fall back on a pid.
 */
export function holdFileLock(file: string, options: { create: true }): Database.Database | 'held' | null;
export function holdFileLock(file: string, options: { create: false }): Database.Database | 'held' | 'absent' | null;
export function holdFileLock(file: string, options: { create: boolean }): Database.Database | 'held' | 'absent' | null {
  if (!options.create && !existsSync(file)) return 'absent';
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 0, fileMustExist: !options.create });
  } catch {
    return null;
  }
  try {
    db.pragma('journal_mode = MEMORY'); // nothing is ever written: no journal file beside it (OFF is refused while the file is empty)
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (error) {
    db.close();
    return (error as { code?: string }).code === 'SQLITE_BUSY' ? 'held' : null;
  }
}

/** Whether a process with this id exists: a signal 0 reaches it, or is refused because it runs as another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
