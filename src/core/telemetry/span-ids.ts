import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 8_192;
let pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * Random hex ids drawn from a pooled buffer: one `randomFillSync` per ~1,000 spans instead of one per id,
 * which was the largest single cost of recording a span.
 */
export function randomHexId(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    pool = randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return id;
}
