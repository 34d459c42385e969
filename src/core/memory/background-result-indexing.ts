import { toDisposable, type Disposable } from '../lifecycle/disposable';
import type { ToolResultIndexer } from './tool-result-indexer';

/** How often a quiet runtime looks for results listed since its last batch (one lookup in a partial index). */
const LOOK_EVERY_MS = 2_000;

/**
 * Lists and indexes the results calls ended with (migrations 17 and 23) a batch at a time, each batch a macrotask of its own,
 * so the event loop serves a call's writes and the page's requests between them. Without it every listed result
 * waited for the next search, which indexed them all first: after an upgrade that holds 50,000, the first Ctrl+K
 * froze the window for seconds. A batch that fails (the file busy in another process, the disk full) is tried again
 * at the next look; `onError` hears of the first failure of a run of them.
 */
export function indexResultsInBackground(indexer: ToolResultIndexer, onError: (error: unknown) => void): Disposable {
  let timer: NodeJS.Timeout | undefined;
  let failing = false;
  const next = (delayMs: number): void => {
    timer = setTimeout(step, delayMs);
    timer.unref();
  };
  const step = (): void => {
    try {
      const indexed = indexer.indexBatch();
      failing = false;
      next(indexed > 0 ? 0 : LOOK_EVERY_MS);
    } catch (error) {
      if (!failing) onError(error);
      failing = true;
      next(LOOK_EVERY_MS);
    }
  };
  next(0);
  return toDisposable(() => clearTimeout(timer));
}
