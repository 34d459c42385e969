/**
 * How much work (schema nodes times the size of the value checked) a check may do without a watchdog: ~1 ms of it.
 * Past it the check runs under `SCHEMA_CHECK_TIME_LIMIT_MS` (schema-check-time-limit.ts), whose watchdog costs ~80 µs.
 */
export const UNWATCHED_CHECK_WORK = 1_000_000;

/**
 * How many nodes of a JSON Schema one check of a value may walk through for each part of the value, its local `$ref`s
 * followed where they lead (each time they are named): Infinity when the schema alone does not bound it. A check's
 * work is about this times the value's size, so a small schema's check of small arguments runs without a watchdog
 * (schema-check-time-limit.ts). Unbounded: a `$ref` cycle (each round may branch again), one that does not name a
 * place in this schema by a plain pointer, a `$id` below the root (`#` means another place there), `$dynamicRef`
 * and `$recursiveRef`, and `uniqueItems` (each item compared with each other one, deeply).
 */
export function schemaCheckSize(schema: unknown): number {
  const sizes = new Map<object, number>();
  const walking = new Set<object>();
  const sizeOf = (node: unknown, isRoot: boolean): number => {
    if (node === null || typeof node !== 'object') return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (walking.has(node)) return Infinity;
    walking.add(node);
    let size = 1;
    for (const [key, value] of Object.entries(node)) {
      if (UNBOUNDED_KEYWORDS.has(key) && value !== false) size = Infinity;
      else if ((key === '$id' || key === 'id') && typeof value === 'string' && !isRoot) size = Infinity;
      else if (key === '$ref' && typeof value === 'string') size += sizeOf(pointedAt(schema, value), false);
      else size += sizeOf(value, false);
      if (size === Infinity) break;
    }
    walking.delete(node);
    sizes.set(node, size);
    return size;
  };
  try {
    return sizeOf(schema, true);
  } catch (error) {
    if (error instanceof RangeError) return Infinity; // a chain of $refs deeper than the stack
    throw error;
  }
}

const UNBOUNDED_KEYWORDS = new Set(['uniqueItems', '$dynamicRef', '$recursiveRef']);

/** What `#/a/b` names in `root`, or a stand-in that counts as unbounded when it names nothing found this way. */
function pointedAt(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return UNRESOLVED;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    let part: string;
    try {
      part = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    } catch {
      return UNRESOLVED;
    }
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return UNRESOLVED;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Counted as a node that reaches itself: unbounded. */
const UNRESOLVED: Record<string, unknown> = { uniqueItems: true };
