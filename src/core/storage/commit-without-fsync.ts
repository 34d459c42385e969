import type { Database } from 'better-sqlite3';
import { pragmaToggle } from './pragma-toggle';

/** `PRAGMA synchronous` of a connection that fsyncs every commit. */
const FULL = 2;

/**
 * Runs a write whose commit skips the fsync (synchronous=NORMAL for that commit, then FULL again): safe against a
 * process crash, and made durable by the next fsynced commit on the connection, since the WAL is appended in order.
 * A connection that is not FULL when the helper is made (NORMAL, EXTRA, in memory) is left at its level, and a write
 * inside a transaction (SQLite refuses to change the setting there) runs as it is. The level is read once: nothing
 * else in Portcullis changes it later, and a read at each write cost a tool call ~10 µs over its two commits.
 */
export function commitWithoutFsync(db: Database): <T>(write: () => T) => T {
  if (db.memory || db.pragma('synchronous', { simple: true }) !== FULL) return (write) => write();
  const relaxedSync = pragmaToggle(db, 'synchronous = NORMAL', 'synchronous = FULL');
  return (write) => {
    if (db.inTransaction) return write();
    relaxedSync.on();
    try {
      return write();
    } finally {
      relaxedSync.off();
    }
  };
}
