import type { Database } from 'better-sqlite3';

/** A connection setting switched on and back off around one step, cheaply. */
export interface PragmaToggle {
  on(): void;
  off(): void;
}

/**
 * Prepared `PRAGMA <on>` / `PRAGMA <off>` statements: ~1 µs a run, against ~15 µs for `db.pragma()`, which parses
 * its statement every time. SQLite applies a setting pragma while it compiles it, so preparing the pair applies
 * both (`off` last, leaving the connection as it was), and a prepared one's first run after compiling does nothing;
 * later runs recompile and apply it. Each is run once here, so every `on()`/`off()` takes effect.
 */
export function pragmaToggle(db: Database, on: string, off: string): PragmaToggle {
  const set = db.prepare(`PRAGMA ${on}`);
  const reset = db.prepare(`PRAGMA ${off}`);
  set.run();
  reset.run();
  return { on: () => void set.run(), off: () => void reset.run() };
}
