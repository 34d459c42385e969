/**
 * Whether a JSON value nests objects and arrays more than `limit` deep. Measured without recursion: a value nested
 * thousands deep (what a hostile server or client can send) overflows any recursive walk, JSON.stringify's included.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limit) return true;
    for (const inner of Object.values(next.value)) pending.push({ value: inner, depth: next.depth + 1 });
  }
  return false;
}
