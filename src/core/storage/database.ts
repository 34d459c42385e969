import BetterSqlite3, { type Database } from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { migrate } from './migrate';

/**
 * Opens (creating if needed) the SQLite file and migrates it. WAL with synchronous=FULL: a message or approval
 * acknowledged to the person is on disk before the acknowledgement, at ~2x the cost of NORMAL, which is
 * still far below a chat's write rate.
 */
export function openDatabase(file: string, options: { migrateTo?: number } = {}): Database {
  let db: Database;
  try {
    db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new AppError(
      'DATABASE_ERROR',
      `Could not open the database at ${file}: ${(error as Error).message}. Check that the folder is writable.`,
      { cause: error },
    );
  }
  try {
    migrate(db, { target: options.migrateTo });
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
