import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { holdFileLock, processAlive } from './process-lock';

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
    const lock = holdFileLock(file, { create: true });
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
      const lock = holdFileLock(otherFile, { create: false });
      if (lock === 'held') return true;
      if (lock === null) return processAlive(pid);
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
