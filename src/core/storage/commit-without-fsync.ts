import type { Database } from 'better-sqlite3';
import { pragmaToggle, type PragmaToggle } from './pragma-toggle';

/** `PRAGMA synchronous` of a connection that fsyncs every commit. */
const FULL = 2;

/**
 * Runs a write whose commit skips the fsync (synchronous=NORMAL for that commit, then FULL again): safe against a
 * process crash, and made durable by the next fsynced commit on the connection, since the WAL is appended in order.
 * A connection that is not FULL as the write starts (NORMAL, EXTRA, in memory), or one inside a transaction (SQLite
 * refuses to change the setting there), runs the write as it is: each is left at the level it had.
 */
export function commitWithoutFsync(db: Database): <T>(write: () => T) => T {
  if (db.memory) return (write) => write();
  // Prepared, a read costs ~1 µs against ~7 µs for db.pragma(), and still answers the level of the moment.
  const level = db.prepare<[], number>('PRAGMA synchronous').pluck();
  // Made at the first FULL write: preparing the pair sets the connection FULL, whatever it was.
  let relaxedSync: PragmaToggle | null = null;
  return (write) => {
    if (db.inTransaction || level.get() !== FULL) return write();
    relaxedSync ??= pragmaToggle(db, 'synchronous = NORMAL', 'synchronous = FULL');
    relaxedSync.on();
    try {
      return write();
    } finally {
      relaxedSync.off();
    }
  };
}
