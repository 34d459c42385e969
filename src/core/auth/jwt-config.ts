import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { readJsonConfig } from '../config/read-json-config';

/** Asymmetric algorithms a public key may be pinned to; HS256 needs a shared secret from the keychain. */
export const ASYMMETRIC_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

const PublicKeyEntry = z
  .object({
    kid: z.string().min(1).max(200),
    alg: z.enum(ASYMMETRIC_ALGS),
    publicKeyPem: z.string().includes('BEGIN PUBLIC KEY').optional(),
    jwk: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((entry) => (entry.publicKeyPem === undefined) !== (entry.jwk === undefined), 'give exactly one of publicKeyPem or jwk')
  .refine((entry) => !entry.jwk || (entry.jwk['kty'] !== 'oct' && entry.jwk['d'] === undefined), 'a jwk here must be a public key (no "d", no "oct")');

const SharedSecretEntry = z
  .object({
    kid: z.string().min(1).max(200),
    alg: z.literal('HS256'),
    /** The name of a secret in the OS keychain (`portcullis` service); the secret itself never sits in this file. */
    keychainSecret: z.string().min(1).max(200),
  })
  .strict();

export const JwtConfigSchema = z
  .object({
    issuer: z.string().min(1),
    audience: z.string().min(1),
    keys: z.array(z.union([PublicKeyEntry, SharedSecretEntry])).min(1),
    /** Seconds of clock skew tolerated for exp/nbf. */
    clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
  })
  .strict();
export type JwtConfig = z.infer<typeof JwtConfigSchema>;

export const JWT_CONFIG_FILE = 'jwt.json';

/**
 * JWT access is off unless the person writes `<data folder>/jwt.json` (issuer, audience, and the keys that may
 * sign: public keys inline, shared secrets only by keychain name). A broken file stops the host with the reason.
 */
export function loadJwtConfig(dataDir: string): JwtConfig | null {
  const file = join(dataDir, JWT_CONFIG_FILE);
  const read = readJsonConfig(file);
  if (!read) return null;
  if (!read.ok) throw new AppError('VALIDATION_FAILED', `${file} is not valid JSON (${read.why}). Fix or remove it to start Portcullis.`);
  const parsed = JwtConfigSchema.safeParse(read.json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new AppError('VALIDATION_FAILED', `${file} is not a valid JWT configuration: ${issues.join('; ')}. See the README, "Local API".`);
  }
  const kids = parsed.data.keys.map((key) => key.kid);
  if (new Set(kids).size !== kids.length) throw new AppError('VALIDATION_FAILED', `${file}: every key needs its own "kid".`);
  return parsed.data;
}
