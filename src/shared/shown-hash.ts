/**
 * How many of a definition's hash's first hex digits name it to the person (`tools list`, `tools approve --hash`, the
 * Tools & servers page): 64 bits, beyond a server's reach to make a second definition that starts alike.
 */
export const SHOWN_HASH_LENGTH = 16;

/** A hash as the person is shown it. */
export function shownHash(hash: string): string {
  return hash.slice(0, SHOWN_HASH_LENGTH);
}

/** Whether `shown` (the whole hash, or at least its first SHOWN_HASH_LENGTH digits, any case) names `hash`. */
export function shownHashNames(shown: string, hash: string): boolean {
  return shown.length >= SHOWN_HASH_LENGTH && hash.startsWith(shown.toLowerCase());
}
