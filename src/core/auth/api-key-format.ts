import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * `pck_<16 hex: public id>_<43 base64url: 256 random bits>`. The prefix makes leaked keys easy to spot (and to
 * scan for); the id finds the row without a secret-dependent lookup.
 */
const KEY_PATTERN = /^pck_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function generateApiKey(): { id: string; key: string } {
  const id = randomBytes(8).toString('hex');
  return { id, key: `pck_${id}_${randomBytes(32).toString('base64url')}` };
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith('pck_');
}

/** The public id of a well-formed key, or null. */
export function apiKeyId(value: string): string | null {
  return KEY_PATTERN.exec(value)?.[1] ?? null;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function apiKeyHashMatches(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
