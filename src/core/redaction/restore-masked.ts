/** How every masked secret reads (`[REDACTED:secret]`, `[REDACTED:token]`…). */
export const MASK_MARK = '[REDACTED';

/**
 * A value as a page sent it back, after showing it masked: each string holding a mask is put back to the original's
 * string at the same place (object key, array index) when that one, masked, reads the same. So an editor that shows
 * a secret masked and saves what it showed keeps the value, never the mask. A masked string with nothing to put back
 * is left as it is and named to `unplaced` (where, as `path.key[index]`).
 */
export function restoreMasked(value: unknown, original: unknown, mask: (text: string) => string, where: string, unplaced: (where: string) => void): unknown {
  if (typeof value === 'string') {
    if (!value.includes(MASK_MARK)) return value;
    if (typeof original === 'string' && mask(original) === value) return original;
    unplaced(where);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => restoreMasked(item, Array.isArray(original) ? original[i] : undefined, mask, `${where}[${i}]`, unplaced));
  if (value === null || typeof value !== 'object') return value;
  const originalObject = original !== null && typeof original === 'object' && !Array.isArray(original) ? (original as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, restoreMasked(item, originalObject[key], mask, where ? `${where}.${key}` : key, unplaced)]));
}
