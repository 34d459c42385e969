import BetterSqlite3, { type Database } from 'better-sqlite3';
import { chmodSync, existsSync, statfsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { AppError } from '../../shared/errors';
import { backupDatabase } from './database-backup';
import { describeDamage } from './damage-report';
import { migrate } from './migrate';
import { salvageUnderWay } from './salvage/salvage-under-way';
import { hasSqliteHeader } from './sqlite-header';
import type { Migration } from './migrations/migration';

export interface OpenDatabaseOptions {
  migrateTo?: number;
  /** The file's schema steps. Default: `portcullis.db`'s; `traces.db` has its own. */
  migrations?: readonly Migration[];
  /**
   * `auto` (default): PRAGMA quick_check when the last run did not close cleanly (its WAL is still there) or
   * the file is small enough to check in well under a second; `quick`: always; `none`: never, nor its header (a
   * second connection to a file this process has open: the span writer thread, the crash writer).
   */
  check?: 'auto' | 'quick' | 'none';
}

/** quick_check reads every page (~30 ms per MB here); above this a clean file is not re-read at each start. */
const ALWAYS_CHECK_BELOW_BYTES = 16 * 1024 * 1024;

/**
 * Opens (creating if needed) the SQLite file, checks it and migrates it. Durability, per kind of data (see
 * docs/storage.md): one connection in WAL mode with synchronous=FULL, so every commit (a sent message, an
 * approval, a memory, a turn's spans in one transaction) is fsynced before it is acknowledged and survives
 * power loss, not only a process crash. Deleted content is overwritten (secure_delete) and freed pages are
 * returned to the disk (incremental auto-vacuum), so retention deletes for real.
 *
 * A damaged file, or one written by a newer Portcullis, is never changed: a copy is kept next to it and the
 * error says where.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  // `none` is a connection added to a file this process has open and checked (the span writer thread's): reading
  // its header through a descriptor of its own would, closing it, release every POSIX lock SQLite holds on the file
  // in this process, after which another process's SQLite takes the WAL for unused and deletes it on close. For the
  // same reason a file this thread has open already (a command run beside a runtime) is not read either.
  // A Portcullis or a command started while `db salvage` works would write to the file it is about to set aside.
  if (basename(file) === 'portcullis.db' && salvageUnderWay(dirname(file))) {
    throw new AppError('DATABASE_ERROR', `\`portcullis db salvage\` is saving what can be read of ${file}: start Portcullis again once it has printed its report.`);
  }
  if (options.check !== 'none' && !openHere(file)) refuseIfNotSqlite(file);
  let db: Database;
  try {
    db = new BetterSqlite3(file);
  } catch (error) {
    throw new AppError(
      'DATABASE_ERROR',
      `Could not open the database at ${file}: ${(error as Error).message}. Check that the folder is writable.`,
      { cause: error },
    );
  }
  keepToOwner(file);
  try {
    if (shouldCheck(file, options.check ?? 'auto')) checkIntegrity(db, file);
    enableIncrementalVacuum(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('secure_delete = ON');
    migrate(db, { target: options.migrateTo, migrations: options.migrations });
  } catch (error) {
    db.close();
    throw classifyOpenError(error, file);
  }
  remember(file, db);
  return db;
}

/**
 * The connections this thread opened, by file (device and inode, whatever path named it): only SQLite's own
 * descriptors may touch a file one of them holds, since SQLite keeps them open until its last connection closes.
 */
const connections = new Map<string, Set<Database>>();

function fileKey(file: string): string | null {
  try {
    const { dev, ino } = statSync(file);
    return `${dev}:${ino}`;
  } catch {
    return null;
  }
}

function openHere(file: string): boolean {
  forgetClosed();
  const key = fileKey(file);
  return key !== null && connections.has(key);
}

function remember(file: string, db: Database): void {
  forgetClosed();
  const key = fileKey(file);
  if (key !== null) connections.set(key, (connections.get(key) ?? new Set<Database>()).add(db));
}

/** A closed connection holds nothing (and is not kept from the garbage collector). */
function forgetClosed(): void {
  for (const [key, open] of connections) {
    for (const db of open) if (!db.open) open.delete(db);
    if (open.size === 0) connections.delete(key);
  }
}

/**
 * The file and its WAL and index readable by its owner alone (SQLite gives the WAL and index files it creates the
 * database's mode). Its folder is private already; this also puts a hard link to it, made elsewhere, under
 * fs.read's refusal of links to private files. One it cannot change (another user's) is left as it is.
 */
function keepToOwner(file: string): void {
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    } catch {
      // Absent (no WAL yet), or not ours to change: opening goes on as before.
    }
  }
}

function refuseIfNotSqlite(file: string): void {
  if (!existsSync(file) || statSync(file).size === 0) return;
  if (!hasSqliteHeader(file)) throw corrupt(file, 'it is not an SQLite database');
}

function shouldCheck(file: string, mode: 'auto' | 'quick' | 'none'): boolean {
  if (mode !== 'auto') return mode === 'quick';
  if (!existsSync(file)) return false;
  // SQLite removes the WAL when the last connection closes cleanly: one left behind means a crash.
  const unclean = existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0;
  return unclean || statSync(file).size < ALWAYS_CHECK_BELOW_BYTES;
}

function checkIntegrity(db: Database, file: string): void {
  const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length > 0) {
    const detail = describeDamage(db, problems);
    db.close();
    throw corrupt(file, detail);
  }
}

/** auto_vacuum can only change on an empty file or through one VACUUM; done once per database. */
function enableIncrementalVacuum(db: Database): void {
  if (db.pragma('auto_vacuum', { simple: true }) === 2) return;
  db.pragma('auto_vacuum = INCREMENTAL');
  if (db.pragma('auto_vacuum', { simple: true }) !== 2) db.exec('VACUUM');
}

function corrupt(file: string, detail: string): AppError {
  const backup = backupDatabase(file, 'corrupt');
  return new AppError(
    'DATABASE_CORRUPT',
    `The database at ${file} is damaged (${detail}). Portcullis did not change it and kept a copy at ${backup}. ` +
      (basename(file) === 'portcullis.db'
        ? `Run \`portcullis db salvage --data-dir ${shellWord(dirname(file))}\` to keep every row that can still be read (it moves the damaged file aside), restore a backup, or move the file away to start with an empty history.`
        : 'Restore a backup, or move the file away to start with an empty history.'),
    { data: { file, backup } },
  );
}

/** A path as a shell takes it back, for a command a person copies: quoted when it holds anything but plain characters. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

function classifyOpenError(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (error instanceof AppError) {
    if (error.code === 'DATABASE_ERROR' && /newer Portcullis/.test(error.message)) {
      const backup = backupDatabase(file, 'newer');
      return new AppError('DATABASE_ERROR', `${error.message} A copy was kept at ${backup}.`, { data: { file, backup } });
    }
    return error;
  }
  if (code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))) {
    return corrupt(file, (error as Error).message);
  }
  const detail = (error as Error).message;
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') {
    return new AppError('DATABASE_ERROR', `Could not open the database at ${file} for writing (${detail}): the data folder or the file is not writable. Check their permissions and owner, or choose another folder with --data-dir.`, { cause: error });
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_IOERR') && diskFull(dirname(file))) {
    return new AppError('STORAGE_FULL', `Could not prepare the database at ${file}: the disk is full (${detail}). Free some disk space, then start Portcullis again; nothing saved before was touched.`, { cause: error });
  }
  return new AppError('DATABASE_ERROR', `Could not prepare the database at ${file}: ${detail}.`, { cause: error });
}

/** Whether the disk holding `folder` has (next to) no room left: SQLite says only "disk I/O error" when it cannot grow a file. */
function diskFull(folder: string): boolean {
  try {
    const { bavail, bsize } = statfsSync(folder);
    return bavail * bsize < 1_000_000;
  } catch {
    return false;
  }
}
