import { randomBytes } from 'node:crypto';
import { safeEqual } from '../core/auth/safe-equal';
import type { IncomingMessage } from 'node:http';

/**
 * The cookie the page's own files are served by, after the link with the token opened it: a value of its own, good
 * for nothing else. Browsers send a cookie of 127.0.0.1 to every port of it (RFC 6265 has no ports), so the session
 * token as a cookie went to any other local server the person opened (a container's port, a dev server, an ssh
 * forward) and its logs. The page keeps the token in sessionStorage, which is per origin, port included, and gives it
 * to the API itself; the built files it loads by this cookie hold nothing. Named by the port, so two `serve`s open in
 * one browser do not overwrite each other's (a reload of the first was refused).
 */
export const PAGE_COOKIE = 'portcullis_page';

function pageCookieName(port: number): string {
  return `${PAGE_COOKIE}_${port}`;
}

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

/** The token a request presented in its `?token=` query (the printed link, the page's WebSocket), if any. */
export function queryToken(url: URL): string | null {
  return url.searchParams.get('token') || null;
}

export function isValidToken(presented: string | undefined, expected: string): boolean {
  return presented !== undefined && safeEqual(presented, expected);
}

/** Whether the request carries the page cookie set by this server (`pageValue` is made anew at each start). */
export function presentsPageCookie(request: IncomingMessage, pageValue: string, port: number): boolean {
  return isValidToken(cookieValue(request.headers.cookie, pageCookieName(port)), pageValue);
}

export function pageCookie(pageValue: string, port: number): string {
  return `${pageCookieName(port)}=${pageValue}; HttpOnly; SameSite=Strict; Path=/`;
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
