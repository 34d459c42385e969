import type { IncomingMessage } from 'node:http';
import type { Authenticator, KeyRefusal, PresentedCredential } from '../core/auth/authenticator';
import type { FailureLimiter } from '../core/auth/failure-limiter';
import type { Principal } from '../core/auth/scopes';
import { isAllowedHostAndOrigin, presentedToken } from './token-auth';

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

/** Where a request presented a credential: `Authorization: Bearer`, or (browser session) the query or cookie. */
export function presentedCredential(request: IncomingMessage, url: URL, allowQuery: boolean): PresentedCredential | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer +(\S*) *$/i.exec(header);
    return { source: 'bearer', value: match ? match[1]! : '\0malformed' };
  }
  const token = presentedToken(request, url);
  if (!token || (token.via === 'query' && !allowQuery)) return null;
  return { source: token.via, value: token.value };
}

/**
 * The order of checks for every HTTP request and WebSocket upgrade: Host and Origin (DNS rebinding, other sites),
 * then the failure rate limit, then the credential. Every refusal is logged and counted.
 */
export function createAuthGate(deps: { authenticator: Authenticator; limiter: FailureLimiter; log: AuthLog; port: () => number }) {
  return async (request: IncomingMessage, options: { allowQuery: boolean }): Promise<GateVerdict> => {
    const client = request.socket.remoteAddress ?? 'unknown';
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${deps.port()}`);
    const refuse = (status: 401 | 403 | 429, reason: string, key?: KeyRefusal): GateVerdict => {
      if (status !== 429) deps.limiter.recordFailure(client);
      deps.log({ event: 'auth.failed', reason, status, client, method: request.method ?? '?', path: url.pathname.slice(0, 200) });
      if (status === 429) return { ok: false, status, retryAfterSeconds: Math.ceil(deps.limiter.retryAfterMs(client) / 1000) };
      return key ? { ok: false, status, key } : { ok: false, status };
    };
    if (!isAllowedHostAndOrigin(request, deps.port())) return refuse(403, 'host-or-origin');
    if (deps.limiter.retryAfterMs(client) > 0) return refuse(429, 'rate-limited');
    const credential = presentedCredential(request, url, options.allowQuery);
    const result = await deps.authenticator.authenticate(credential);
    if (!result.ok) return refuse(401, result.reason, result.key);
    return { ok: true, principal: result.principal, setCookie: credential?.source === 'query' && result.principal.kind === 'session' };
  };
}
