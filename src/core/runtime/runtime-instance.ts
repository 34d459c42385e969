import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * This process, as other Portcullis processes on the same data folder can tell it apart and tell whether it still
 * runs: an exclusive SQLite lock on `runtimes/<id>.lock`, held until released or until the process ends, however
 * it ends (the OS lets go of it with the process, as of `runtime.lock`). A pid alone could name another program
 * after a crash and a reboot, and a claim it held would then block forever.
 */
export interface RuntimeInstance {
  /** The lock file's name, unique to this process (its pid and random bits). */
  readonly id: string;
  readonly pid: number;
  /** Whether the process that took `id` (on this folder) still runs. */
  isAlive(id: string, pid: number): boolean;
  release(): void;
}

function folderOf(dataDir: string): string {
  return join(dataDir, 'runtimes');
}

/** The lock, or null where the folder allows none (read-only): then a pid says, as well as it can. */
function lockFile(file: string, create: boolean): Database.Database | 'held' | 'absent' | null {
  if (!create && !existsSync(file)) return 'absent';
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 0, fileMustExist: !create });
  } catch {
    return null;
  }
  try {
    db.pragma('journal_mode = MEMORY'); // nothing is ever written: no journal file beside it
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (error) {
    db.close();
    return (error as { code?: string }).code === 'SQLITE_BUSY' ? 'held' : null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone (another process found it dead too).
  }
}

export function holdRuntimeInstance(dataDir: string): RuntimeInstance {
  const folder = folderOf(dataDir);
  const id = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const file = join(folder, `${id}.lock`);
  let mine: Database.Database | null = null;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const lock = lockFile(file, true);
    mine = typeof lock === 'object' ? lock : null;
  } catch {
    // A folder it cannot write to fails loudly elsewhere (the database); claims then go by pid alone.
  }
  return {
    id,
    pid: process.pid,
    isAlive(other, pid) {
      if (other === id) return true;
      const otherFile = join(folder, `${other}.lock`);
      const lock = lockFile(otherFile, false);
      if (lock === 'held') return true;
      if (lock === null) return pidAlive(pid);
      // Free, or gone: its process has ended. The file goes with it (only its own process ever locks it for long).
      if (lock !== 'absent') {
        lock.close();
        removeQuietly(otherFile);
      }
      return false;
    },
    release() {
      if (!mine) return;
      mine.close();
      mine = null;
      removeQuietly(file);
    },
  };
}
