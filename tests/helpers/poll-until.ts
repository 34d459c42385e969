import { until } from './until';

/**
 * Reads until `ok` holds (every 25 ms, for up to 10 s): `until` for a wait that needs no name; its failure still
 * shows the last value read, where a bare "timed out" said nothing of what was seen.
 */
export function pollUntil<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  return until('the value read never held', read, ok, 10_000);
}
