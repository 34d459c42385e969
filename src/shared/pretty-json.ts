/** Pretty JSON that never throws (cycles and BigInts become text); `(none)` for nothing at all. */
export function prettyJson(value: unknown): string {
  if (value === undefined) return '(none)';
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) ?? String(value);
  } catch {
    return String(value);
  }
}
