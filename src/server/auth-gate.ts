import type { IncomingMessage } from 'node:http';
import type { Authenticator, KeyRefusal, PresentedCredential } from '../core/auth/authenticator';
import type { FailureLimiter } from '../core/auth/failure-limiter';
import type { Principal } from '../core/auth/scopes';
import { isAllowedHostAndOrigin, queryToken } from './token-auth';

/** One line per refused request. Holds the reason and where, never the credential or the query string. */
export interface AuthFailureEntry {
  event: 'auth.failed';
  reason: string;
  status: 401 | 403 | 429;
  client: string;
  method: string;
  path: string;
}

export type AuthLog = (entry: AuthFailureEntry) => void;

export const stderrAuthLog: AuthLog = (entry) => process.stderr.write(`${JSON.stringify({ level: 'warn', ...entry })}\n`);

export type GateVerdict =
  | { ok: true; principal: Principal; setCookie: boolean }
  | { ok: false; status: 401 | 403 | 429; retryAfterSeconds?: number; key?: KeyRefusal };

/**
 * Where a request presented a credential: `Authorization: Bearer`, or (the browser session) the `?token=` query. Never
 * a cookie: a cookie of 127.0.0.1 goes to every port of it, so no credential is one (token-auth.ts, PAGE_COOKIE).
 */
export function presentedCredential(request: IncomingMessage, url: URL, allowQuery: boolean): PresentedCredential | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer +(\S*) *$/i.exec(header);
    return { source: 'bearer', value: match ? match[1]! : '\0malformed' };
  }
  const token = allowQuery ? queryToken(url) : null;
  return token === null ? null : { source: 'query', value: token };
}

/**
 * The order of checks for every HTTP request and WebSocket upgrade: Host and Origin (DNS rebinding, other sites),
 * then the failure rate limit, then the credential. Every refusal is logged; only a guess at a credential counts
 * towards the limit. Every local client comes from 127.0.0.1 and shares it, so a count of anything else would let
 * any web page the person visits (its requests carry a foreign Origin) or a client still configured with a revoked
 * key lock out the page, the MCP clients and the scripts alike.
 */
export function createAuthGate(deps: { authenticator: Authenticator; limiter: FailureLimiter; log: AuthLog; port: () => number }) {
  return async (request: IncomingMessage, options: { allowQuery: boolean }): Promise<GateVerdict> => {
    const client = request.socket.remoteAddress ?? 'unknown';
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${deps.port()}`);
    const refuse = (status: 401 | 403 | 429, reason: string, key?: KeyRefusal, guess = true): GateVerdict => {
      if (status !== 429 && guess) deps.limiter.recordFailure(client);
      deps.log({ event: 'auth.failed', reason, status, client, method: request.method ?? '?', path: url.pathname.slice(0, 200) });
      if (status === 429) return { ok: false, status, retryAfterSeconds: Math.ceil(deps.limiter.retryAfterMs(client) / 1000) };
      return key ? { ok: false, status, key } : { ok: false, status };
    };
    // No credential is looked at: not a guess.
    if (!isAllowedHostAndOrigin(request, deps.port())) return refuse(403, 'host-or-origin', undefined, false);
    if (deps.limiter.retryAfterMs(client) > 0) return refuse(429, 'rate-limited');
    const credential = presentedCredential(request, url, options.allowQuery);
    const result = await deps.authenticator.authenticate(credential);
    // No credential at all is not a guess either (a page's <img> sends none, and no Origin); a key refused as revoked
    // or expired matched its stored hash: its caller holds the real key, a stale config.
    if (!result.ok) return refuse(401, result.reason, result.key, credential !== null && result.key === undefined);
    return { ok: true, principal: result.principal, setCookie: credential?.source === 'query' && result.principal.kind === 'session' };
  };
}
