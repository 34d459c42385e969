import { randomBytes } from 'node:crypto';
import { safeEqual } from '../core/auth/safe-equal';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'portcullis_token';

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** Where a request presented the token: the `?token=` query (first visit, scripts) or the cookie set then. */
export function presentedToken(request: IncomingMessage, url: URL): { value: string; via: 'query' | 'cookie' } | null {
  const query = url.searchParams.get('token');
  if (query) return { value: query, via: 'query' };
  const cookie = cookieValue(request.headers.cookie, TOKEN_COOKIE);
  return cookie ? { value: cookie, via: 'cookie' } : null;
}

export function isValidToken(presented: string | undefined, expected: string): boolean {
  return presented !== undefined && safeEqual(presented, expected);
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/**
 * DNS-rebinding defence: the Host header must name the loopback address we bound, and a browser's Origin (when
 * sent) must be this very server. Anything else is some other site talking to us.
 */
export function isAllowedHostAndOrigin(request: IncomingMessage, port: number): boolean {
  // Only origin-form targets ("/path"): an absolute-form "http://other/..." would name another authority than Host.
  if (!request.url?.startsWith('/') || request.url.startsWith('//')) return false;
  // Port 0: the desktop app's socket for commands (no browser reaches it), which Node's client addresses as localhost.
  const allowedHosts = port === 0 ? ['localhost'] : [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!allowedHosts.includes(request.headers.host ?? '')) return false;
  // A browser says so of a request another site's page made (an <img>, an <iframe>, a script's) where it sends no
  // Origin: such a page could otherwise present guessed tokens in the URL until the failure limit locked the person
  // out. A link the person followed to the printed URL (a top-level navigation) still opens the page.
  const topLevel = request.headers['sec-fetch-mode'] === 'navigate' && request.headers['sec-fetch-dest'] === 'document';
  if (request.headers['sec-fetch-site'] === 'cross-site' && !topLevel) return false;
  const origin = request.headers.origin;
  return origin === undefined || allowedHosts.some((host) => origin === `http://${host}`);
}
