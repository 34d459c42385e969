import type { Database } from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { busyWaitOff, pollForLock } from '../storage/poll-for-lock';

/** Free pages given back to the file system per step of the incremental vacuum. */
const VACUUM_PAGES = 2_000;
/** How long emptying a WAL looks for a moment no other connection checkpoints it or reads from it (SQLite's busy_timeout). */
const EMPTY_WAL_WITHIN_MS = 5_000;

/** One SQLite file and its connection. */
export interface DatabaseFile {
  db: Database;
  file: string;
}

/** The files with their WALs, in bytes. */
export function databaseBytes(files: readonly DatabaseFile[]): number {
  let bytes = 0;
  for (const { db, file } of files) {
    const pages = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    bytes += pages * pageSize + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
  }
  return bytes;
}

/**
 * Copies the WAL into the file and empties it (TRUNCATE): until then the pages from before a delete are still in the
 * WAL. A checkpoint another connection runs at that moment (the span writer thread's, every second, on both files)
 * makes it fail at once, without SQLite's busy wait, and the deleted text stayed on disk: it is tried again, every
 * millisecond, for as long as SQLite would wait for a reader.
 */
export function emptyWal(db: Database): boolean {
  const emptied = (): boolean => !(db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>)[0]?.busy;
  return pollForLock(busyWaitOff(db), emptied, EMPTY_WAL_WITHIN_MS, 1);
}

/**
 * Moves committed deletes out of the WALs and returns free pages to the file system, a step at a time, with
 * `between` run between two steps (it may throw to stop). Returns the files whose WAL could not be emptied at the
 * end (another process read from it all along): the deleted text stays there until a later TRUNCATE.
 */
export async function reclaimSpace(files: readonly DatabaseFile[], between: () => Promise<void>): Promise<string[]> {
  const kept: string[] = [];
  for (const { db, file } of files) {
    // One wait of EMPTY_WAL_WITHIN_MS per file: a reader that held the first TRUNCATE off would hold the second too.
    if (!emptyWal(db)) {
      kept.push(file);
      continue;
    }
    if (db.pragma('auto_vacuum', { simple: true }) === 2) {
      let free = db.pragma('freelist_count', { simple: true }) as number;
      while (free > 0) {
        db.pragma(`incremental_vacuum(${VACUUM_PAGES})`);
        const left = db.pragma('freelist_count', { simple: true }) as number;
        if (left >= free) break;
        free = left;
        await between();
      }
    }
    if (!emptyWal(db)) kept.push(file);
  }
  return kept;
}

/**
 * `reclaimSpace` in one go, for a single conversation's deletion (small). Returns the files whose WAL could not be
 * emptied (another process read from it all along): the deleted text stays there until a later TRUNCATE.
 */
export function reclaimSpaceAtOnce(files: readonly DatabaseFile[]): string[] {
  const kept: string[] = [];
  for (const { db, file } of files) {
    // One wait of EMPTY_WAL_WITHIN_MS per file: a reader that held the first TRUNCATE off would hold the second too.
    if (!emptyWal(db)) {
      kept.push(file);
      continue;
    }
    db.pragma('incremental_vacuum');
    if (!emptyWal(db)) kept.push(file);
  }
  return kept;
}

/**
 * Gives back every free page of the files at once and empties their WALs (everything was deleted). Returns the
 * files whose WAL could not be emptied, as `reclaimSpace` does.
 */
export function vacuumWhole(files: readonly DatabaseFile[]): string[] {
  const kept: string[] = [];
  for (const file of files) {
    file.db.exec('VACUUM');
    if (!emptyWal(file.db)) kept.push(file.file);
  }
  return kept;
}
