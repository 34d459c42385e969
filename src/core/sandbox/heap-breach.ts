/**
 * What V8 writes to stderr when a process runs past its heap limit (`--max-old-space-size`: "FATAL ERROR: Reached
 * heap limit Allocation failed - JavaScript heap out of memory"); the tool worker writes the same words when its tool
 * thread does (resourceLimits), so the runner tells a heap breach from any other crash the same way for both.
 */
export const HEAP_BREACH_WORDS = 'JavaScript heap out of memory';

/** Whether a worker's last stderr says it died at its heap limit. */
export function diedAtHeapLimit(stderrTail: string): boolean {
  return stderrTail.includes(HEAP_BREACH_WORDS);
}
