import { rmSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { openDatabase, type OpenDatabaseOptions } from '../database';
import { tracesMigrations } from '../migrations/traces/index';

export interface OpenedTracesDatabase {
  db: Database;
  /** Set when the file was damaged or written by a newer Portcullis: where its copy is, for the log. */
  problem: string | null;
}

/**
 * Opens `traces.db` (spans and their counters) with `synchronous = NORMAL`: in WAL mode a commit then costs no
 * fsync, and a power loss may drop the last batch of spans, never corrupt one. Unlike `portcullis.db`, a damaged
 * or newer traces file does not stop the start: `openDatabase` has already copied it aside, and an empty one
 * takes its place (spans are diagnostics; the copy keeps what they said).
 */
export function openTracesDatabase(file: string): OpenedTracesDatabase {
  try {
    return { db: openTracesConnection(file), problem: null };
  } catch (error) {
    const backup = error instanceof AppError ? (error.data as { backup?: unknown } | undefined)?.backup : undefined;
    if (typeof backup !== 'string') throw error;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    const why = (error as AppError).code === 'DATABASE_CORRUPT' ? 'was damaged' : 'was written by a newer Portcullis';
    return { db: openTracesConnection(file), problem: `The traces file ${file} ${why}; it was kept at ${backup} and an empty one was started.` };
  }
}

/** One connection to `traces.db` as spans are written: its schema, `synchronous = NORMAL`. */
export function openTracesConnection(file: string, check: OpenDatabaseOptions['check'] = 'auto'): Database {
  const db = openDatabase(file, { migrations: tracesMigrations, check });
  db.pragma('synchronous = NORMAL');
  return db;
}
