import type { Database } from 'better-sqlite3';
import { busyWaitOff, pollForLock } from './poll-for-lock';

/** How often a waiting writer looks again: a span batch or a checkpoint round holds the lock for about this order. */
const POLL_MS = 0.05;

/**
 * Runs `write` in a `BEGIN IMMEDIATE` transaction that waits for another connection's write lock (a checkpoint on
 * the span writer thread, a `portcullis` command; span batches themselves were one until they moved to
 * `traces.db`) by looking again every 50 µs, for up to the connection's `busy_timeout`. SQLite's own busy handler
 * sleeps a whole millisecond at its first retry, then 2, 5, 10…; the thread holds the lock for a fraction of that,
 * and a tool call waited for the rest: its commits' p99 was 1.2 ms, 0.6 ms with this (docs/storage.md). Inside an
 * open transaction it runs as a savepoint, like better-sqlite3's own transactions.
 */
export function immediateTransaction(db: Database): <T>(write: () => T) => T {
  const waitMs = db.pragma('busy_timeout', { simple: true }) as number;
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  // busy_timeout is the connection's: 0 only while BEGIN is tried, so every other statement keeps SQLite's wait.
  const noWait = busyWaitOff(db);
  const nested = db.transaction((write: () => unknown) => write());

  const beginWhenFree = (): void => {
    let busy: unknown;
    const tryBegin = (): boolean => {
      try {
        begin.run();
        return true;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        busy = error;
        return false;
      }
    };
    if (!pollForLock(noWait, tryBegin, waitMs, POLL_MS)) throw busy;
  };

  return <T>(write: () => T): T => {
    if (db.inTransaction) return nested(write) as T;
    beginWhenFree();
    try {
      const result = write();
      commit.run();
      return result;
    } catch (error) {
      // A failed COMMIT, or a statement SQLite answered by rolling back itself, may have ended it already.
      if (db.inTransaction) rollback.run();
      throw error;
    }
  };
}
