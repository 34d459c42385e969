/**
 * The most parts (values, items, properties) of a value `valueCheckSize` walks: walking 500 strings took ~25 µs,
 * less than the watchdog it may save (~80 µs), so measuring never costs more than it saves. A value with more parts
 * is checked under the watchdog, which is then small beside the check itself.
 */
export const MOST_PARTS_MEASURED = 500;

/**
 * The size of a JSON value as a schema check walks it (one for each part, and each string's and key's characters,
 * about its length as JSON), or Infinity once it passes `atMost` or has more than `MOST_PARTS_MEASURED` parts: the
 * walk stops there, so a large answer is not walked whole only to be checked under the watchdog anyway. Without a
 * stack of calls, so a deeply nested answer cannot overflow it.
 */
export function valueCheckSize(value: unknown, atMost: number): number {
  const pending: unknown[] = [value];
  let size = 0;
  let parts = 0;
  while (pending.length > 0) {
    const part = pending.pop();
    parts += 1;
    size += 1;
    if (typeof part === 'string') size += part.length;
    else if (Array.isArray(part)) {
      // Each item is at least one more: a long array is over before its items are pushed.
      if (parts + pending.length + part.length > MOST_PARTS_MEASURED || size + pending.length + part.length > atMost) return Infinity;
      for (const item of part) pending.push(item);
    } else if (part !== null && typeof part === 'object') {
      for (const key in part) {
        if (parts + pending.length >= MOST_PARTS_MEASURED) return Infinity;
        size += key.length;
        pending.push((part as Record<string, unknown>)[key]);
      }
    }
    if (size + pending.length > atMost || parts + pending.length > MOST_PARTS_MEASURED) return Infinity;
  }
  return size;
}
