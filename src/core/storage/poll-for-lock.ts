import type { Database } from 'better-sqlite3';
import { pragmaToggle, type PragmaToggle } from './pragma-toggle';
import { waitWhileEqual } from './wait-while-equal';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** The connection's busy_timeout at 0 while a lock is polled for (`pollForLock`), then back to what it was. */
export function busyWaitOff(db: Database): PragmaToggle {
  return pragmaToggle(db, 'busy_timeout = 0', `busy_timeout = ${db.pragma('busy_timeout', { simple: true }) as number}`);
}

/**
 * Tries `attempt` until it gets the lock it needs, looking again every `pollMs` for up to `withinMs`, with the
 * connection's busy_timeout at 0 meanwhile (`noWait`). SQLite's own busy handler sleeps 1, 2, 5, 10… ms between
 * tries and misses the short gaps between another connection's commits. `attempt` returns false when the lock
 * was busy; the result says whether it was got in time.
 */
export function pollForLock(noWait: PragmaToggle, attempt: () => boolean, withinMs: number, pollMs: number): boolean {
  noWait.on();
  try {
    const until = Date.now() + withinMs;
    for (;;) {
      if (attempt()) return true;
      if (Date.now() >= until) return false;
      waitWhileEqual(pause, 0, pollMs);
    }
  } finally {
    noWait.off();
  }
}
