import { createHash } from 'node:crypto';
import { importJWK, importSPKI, jwtVerify, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { AppError } from '../../shared/errors';
import type { SecretStore } from '../secrets/secret-store';
import type { JwtConfig } from './jwt-config';
import { parseKeyTools, unlimitableScopes } from './key-tool-limit';
import { isScope, type Principal } from './scopes';

type VerificationKey = CryptoKey | Uint8Array;

export type JwtCheck = { ok: true; principal: Principal } | { ok: false; reason: string };

/**
 * Verifies bearer JWTs against the configured keys. Each key is pinned to one algorithm and found by `kid`, so
 * `alg: none`, an HS256 token "signed" with an RSA public key (algorithm confusion) and unknown or missing key
 * ids all fail; `exp`, `iss`, `aud` and `sub` are required and `nbf` is honoured.
 */
export class JwtVerifier {
  private constructor(
    private readonly config: JwtConfig,
    private readonly keys: ReadonlyMap<string, { alg: string; key: VerificationKey }>,
    private readonly now: () => number,
  ) {}

  static async create(config: JwtConfig, secrets: SecretStore | null, now: () => number = Date.now): Promise<JwtVerifier> {
    const keys = new Map<string, { alg: string; key: VerificationKey }>();
    for (const entry of config.keys) {
      if ('keychainSecret' in entry) {
        const secret = secrets ? await secrets.get(entry.keychainSecret) : undefined;
        if (!secret || Buffer.byteLength(secret) < 32) {
          throw new AppError(
            'VALIDATION_FAILED',
            `JWT key "${entry.kid}" needs the keychain secret "${entry.keychainSecret}" of at least 32 bytes; set it in Settings → Secrets.`,
          );
        }
        keys.set(entry.kid, { alg: entry.alg, key: new TextEncoder().encode(secret) });
      } else if (entry.publicKeyPem) {
        keys.set(entry.kid, { alg: entry.alg, key: await importSPKI(entry.publicKeyPem, entry.alg) });
      } else {
        const imported = await importJWK(entry.jwk as JWK, entry.alg);
        keys.set(entry.kid, { alg: entry.alg, key: imported });
      }
    }
    return new JwtVerifier(config, keys, now);
  }

  async check(token: string): Promise<JwtCheck> {
    try {
      const { payload } = await jwtVerify(
        token,
        (header) => {
          const entry = header.kid === undefined ? undefined : this.keys.get(header.kid);
          if (!entry) throw new AppError('UNAUTHORIZED', 'unknown-kid');
          if (header.alg !== entry.alg) throw new AppError('UNAUTHORIZED', 'alg-mismatch');
          return entry.key;
        },
        {
          issuer: this.config.issuer,
          audience: this.config.audience,
          algorithms: [...new Set([...this.keys.values()].map((k) => k.alg))],
          requiredClaims: ['exp', 'iss', 'aud', 'sub'],
          clockTolerance: this.config.clockToleranceSeconds,
          currentDate: new Date(this.now()),
        },
      );
      const subject = subjectOf(payload);
      if (subject === null) return { ok: false, reason: 'jwt-malformed-sub' };
      const scopes = scopesOf(payload);
      const principal: Principal = { kind: 'jwt', id: `jwt:${subject}`, scopes, expiresAt: payload.exp! * 1000 };
      const tools = toolsOf(payload);
      if (tools === 'malformed') return { ok: false, reason: 'jwt-malformed-tools-claim' };
      if (tools === null) return { ok: true, principal };
      // As for a key: a list with a scope that reaches every tool would hold only on paper, so the token is refused.
      if (unlimitableScopes(scopes)) return { ok: false, reason: 'jwt-tools-claim-with-unlimitable-scope' };
      return { ok: true, principal: { ...principal, toolLimit: { holder: `JWT ${subject}`, source: 'jwt', patterns: tools } } };
    } catch (error) {
      return { ok: false, reason: `jwt-${reasonOf(error)}` };
    }
  }
}

/** How much of a long subject is shown (a refusal, the audit chain, an approval's "requested by"). */
const SUBJECT_SHOWN_CHARS = 100;

/**
 * The subject as the principal's id, which owns what the token opens (an /mcp session taken up again after a
 * restart is the same subject's only): a non-empty string, or null. A long one is shortened for the words the person
 * reads, with a digest of all of it, so that two subjects alike in their first characters (SPIFFE or Kubernetes
 * service-account names often are) stay two callers; jose checks only that `sub` is present.
 */
function subjectOf(payload: JWTPayload): string | null {
  const sub: unknown = payload.sub;
  if (typeof sub !== 'string' || sub.trim() === '') return null;
  if (sub.length <= SUBJECT_SHOWN_CHARS) return sub;
  return `${sub.slice(0, SUBJECT_SHOWN_CHARS)}…#${createHash('sha256').update(sub).digest('hex').slice(0, 16)}`;
}

/** `scope` (space-separated, RFC 8693) or `scopes` (array); unknown names are ignored, never widened. */
function scopesOf(payload: JWTPayload): Principal['scopes'] {
  const raw = payload['scope'] ?? payload['scopes'];
  const names = typeof raw === 'string' ? raw.split(' ') : Array.isArray(raw) ? raw : [];
  return [...new Set(names.filter(isScope))];
}

/**
 * The `tools` claim, an array of globs over Portcullis' tool names as a key's `--tools` takes them: null when the
 * token has none (every tool its scopes reach); 'malformed' for anything else but a good list, which refuses the
 * token rather than read it as no limit.
 */
function toolsOf(payload: JWTPayload): string[] | null | 'malformed' {
  const raw = payload['tools'];
  if (raw === undefined) return null;
  if (!Array.isArray(raw) || !raw.every((pattern) => typeof pattern === 'string')) return 'malformed';
  try {
    return parseKeyTools(raw as string[]);
  } catch {
    return 'malformed';
  }
}

/** A short, credential-free reason for the log: jose's error code and the failing claim, or ours. */
function reasonOf(error: unknown): string {
  if (error instanceof AppError) return error.message;
  const { code, claim } = error as { code?: unknown; claim?: unknown };
  const base = typeof code === 'string' ? code.replace(/^ERR_/, '').toLowerCase() : 'invalid';
  return typeof claim === 'string' ? `${base}:${claim}` : base;
}
