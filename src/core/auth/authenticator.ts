import type { ApiKeyService } from './api-keys';
import { safeEqual } from './safe-equal';
import { looksLikeApiKey } from './api-key-format';
import type { JwtVerifier } from './jwt-verifier';
import { fullAccessPrincipal, terminalPrincipal, type Principal } from './scopes';

/**
 * Where a credential came from. API keys and JWTs are accepted only as `Authorization: Bearer`; the session token also
 * as the page's `?token=`. Never a cookie: one of 127.0.0.1 goes to every port of it (auth-gate.ts).
 */
export type CredentialSource = 'bearer' | 'query';

export interface PresentedCredential {
  source: CredentialSource;
  value: string;
}

/**
 * What the one who presented a real API key may be told about it (its hash matched, so they hold the key): that
 * it was revoked, or when it expired. Nothing is said about a key that is unknown or wrong.
 */
export type KeyRefusal = { kind: 'revoked' } | { kind: 'expired'; expiredAt: number };

/** `reason` is for the log: short, fixed words, never any part of the credential. */
export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: string; key?: KeyRefusal };

const MAX_CREDENTIAL_LENGTH = 8_192;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

export interface AuthenticatorDeps {
  /** The token in the printed URL: a session credential with every scope (how the browser UI gets in). */
  sessionToken?: string;
  apiKeys: ApiKeyService;
  /** The token a `portcullis` command on this data folder presents (`terminal-access.json`); only as `Authorization: Bearer`. */
  terminalToken?: string;
  /** Only that token gets in (the desktop app's way in for commands while its local API is off). */
  terminalOnly?: boolean;
  /** Null when the person has not configured JWT access (`<data folder>/jwt.json`). */
  jwt: JwtVerifier | null;
}

/** Turns a presented credential into a principal: the session token, an API key or a JWT. */
export class Authenticator {
  constructor(private readonly deps: AuthenticatorDeps) {}

  /** For open connections: is the credential behind `principal` still good (not revoked, not expired)? */
  stillValid(principal: Principal, now: number = Date.now()): boolean {
    return this.current(principal, now) !== null;
  }

  /**
   * For open connections (a WebSocket, an /mcp session): the credential behind `principal` as it stands now, a key's
   * scopes and tools as they were last changed (`keys update`), or null once it no longer holds (revoked, expired).
   */
  current(principal: Principal, now: number = Date.now()): Principal | null {
    if (principal.expiresAt !== undefined && principal.expiresAt <= now) return null;
    if (principal.kind === 'api-key') return this.deps.apiKeys.currentPrincipal(principal.id.replace(/^key:/, ''));
    return principal;
  }

  async authenticate(credential: PresentedCredential | null): Promise<AuthResult> {
    if (!credential || credential.value === '') return { ok: false, reason: 'missing' };
    const { value, source } = credential;
    if (value.length > MAX_CREDENTIAL_LENGTH || /[\s\0]/.test(value)) return { ok: false, reason: 'malformed' };
    if (this.deps.sessionToken && safeEqual(value, this.deps.sessionToken)) {
      return { ok: true, principal: fullAccessPrincipal('session') };
    }
    if (source !== 'bearer') return { ok: false, reason: 'wrong-session-token-query' };
    if (this.deps.terminalToken && safeEqual(value, this.deps.terminalToken)) return { ok: true, principal: terminalPrincipal() };
    if (this.deps.terminalOnly) return { ok: false, reason: 'terminal-only' };
    if (looksLikeApiKey(value)) {
      const checked = this.deps.apiKeys.check(value);
      if (checked.ok) return checked;
      if (checked.reason === 'revoked-key') return { ok: false, reason: checked.reason, key: { kind: 'revoked' } };
      if (checked.reason === 'expired-key') return { ok: false, reason: checked.reason, key: { kind: 'expired', expiredAt: checked.expiredAt } };
      return { ok: false, reason: checked.reason };
    }
    if (JWT_SHAPE.test(value)) {
      if (!this.deps.jwt) return { ok: false, reason: 'jwt-not-configured' };
      return this.deps.jwt.check(value);
    }
    return { ok: false, reason: 'malformed' };
  }
}
