/**
 * Blocks this thread while `cell[0]` still holds `value`, for at most `timeoutMs`: Atomics.wait where the host lets
 * the thread block (Node does); a thread that may not (a browser-style main thread throws "Atomics.wait cannot be
 * called in this context") spins instead. Only for waits of a few milliseconds at most.
 */
export function waitWhileEqual(cell: Int32Array, value: number, timeoutMs: number): void {
  try {
    Atomics.wait(cell, 0, value, timeoutMs);
    return;
  } catch {
    // may not block here
  }
  const until = performance.now() + timeoutMs;
  while (Atomics.load(cell, 0) === value && performance.now() < until) {
    // spin: nothing else can run on this thread meanwhile anyway
  }
}
