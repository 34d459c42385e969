import { stat, statSync } from 'node:fs';
import { toDisposable, type Disposable } from '../lifecycle/disposable';

/** How often the file's identity is looked at: one `stat` off the main thread, never on a write's path. */
const CHECK_MS = 2_000;

/**
 * Calls `onGone` once when the database file at `file` is no longer the one opened: deleted (the data folder
 * removed under a running Portcullis) or replaced by another file. SQLite goes on writing into the open, unlinked
 * file without an error, so every message after it would look saved and vanish at exit. A cheap periodic check of
 * the path's device and inode, since a stat on every write would cost each tool call (docs/storage.md).
 */
export function watchDatabaseFile(file: string, onGone: (why: 'deleted' | 'replaced') => void, everyMs = CHECK_MS): Disposable {
  const opened = statSync(file);
  let done = false;
  const timer = setInterval(() => {
    stat(file, (error, now) => {
      if (done) return;
      if (error && error.code !== 'ENOENT') return; // unreadable for a moment (EACCES, EIO): said by the writes, not here
      const why = error ? 'deleted' : now.ino !== opened.ino || now.dev !== opened.dev ? 'replaced' : null;
      if (!why) return;
      done = true;
      clearInterval(timer);
      onGone(why);
    });
  }, everyMs);
  timer.unref();
  return toDisposable(() => {
    done = true;
    clearInterval(timer);
  });
}
