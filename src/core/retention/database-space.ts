import type { Database } from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';

/** Free pages given back to the file system per step of the incremental vacuum. */
const VACUUM_PAGES = 2_000;

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
 * Moves committed deletes out of the WALs and returns free pages to the file system, a step at a time, with
 * `between` run between two steps (it may throw to stop).
 */
export async function reclaimSpace(files: readonly DatabaseFile[], between: () => Promise<void>): Promise<void> {
  for (const { db } of files) {
    db.pragma('wal_checkpoint(TRUNCATE)');
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
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

/** `reclaimSpace` in one go, for a single conversation's deletion (small). */
export function reclaimSpaceAtOnce(files: readonly DatabaseFile[]): void {
  for (const { db } of files) {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('incremental_vacuum');
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

/** Gives back every free page of the files at once and empties their WALs (everything was deleted). */
export function vacuumWhole(files: readonly DatabaseFile[]): void {
  for (const file of files) {
    file.db.exec('VACUUM');
    file.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
