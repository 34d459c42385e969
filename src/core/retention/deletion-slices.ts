/**
 * How a long deletion shares the main thread. Taking a conversation's tool results out of the search index with
 * secure-delete costs ~14 ms (docs/storage.md), so a cut of 500 held the event loop, and with it the window, every
 * tool call in flight and the local API, for 7 s. Deleting in slices of about `sliceMs` each (one transaction of
 * whole conversations), with the event loop free between two, bounds that wait.
 */
export interface SlicePacing {
  /** About how long one slice (one transaction) may run before it commits; it always does at least one thing. */
  sliceMs: number;
  /** Between two slices: whatever waits (a timer, a request, a tool call's commit) runs here. */
  between(): Promise<void>;
}

export const DEFAULT_SLICE_MS = 25;

/** The next turn of the event loop: after the I/O and the timers that are due, not only the microtasks. */
export function nextTurnOfEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Thrown between two slices when the service is disposed: what was cut is committed, the rest is for the next run. */
export class RetentionStopped extends Error {
  constructor() {
    super('retention stopped: Portcullis is closing; the next run finishes the cut');
  }
}

/**
 * Called after each step of a slice (a conversation deleted, a batch of rows): true while one more step, as long as
 * the last one, still ends within `ms` of the slice's start.
 */
export function sliceClock(ms: number): () => boolean {
  const until = performance.now() + ms;
  let stepStart = performance.now();
  return () => {
    const now = performance.now();
    const step = now - stepStart;
    stepStart = now;
    return now + step < until;
  };
}
