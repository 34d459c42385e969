import type { Database } from 'better-sqlite3';
import { pragmaToggle } from './pragma-toggle';

/**
 * Runs a write whose commit skips the fsync (synchronous=NORMAL for that commit, then FULL again): safe against a
 * process crash, and made durable by the next fsynced commit on the connection, since the WAL is appended in order.
 * A connection that is not FULL (in memory), or one inside a transaction (SQLite refuses to change the setting
 * there), runs the write as it is.
 */
export function commitWithoutFsync(db: Database): <T>(write: () => T) => T {
  const fullSync = db.memory ? false : db.pragma('synchronous', { simple: true }) === 2;
  const relaxedSync = pragmaToggle(db, 'synchronous = NORMAL', 'synchronous = FULL');
  return (write) => {
    if (!fullSync || db.inTransaction) return write();
    relaxedSync.on();
    try {
      return write();
    } finally {
      relaxedSync.off();
    }
  };
}
