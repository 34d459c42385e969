/**
 * The desktop window's UI is served on its own scheme, app://portcullis/, never file:// (Electron's checklist,
 * item 18). A file:// page may fetch any file on the machine, and with the packaged app's
 * grantFileProtocolExtraPrivileges fuse off, Chromium's plain file loader can read neither app.asar nor the
 * bundle's module scripts, so a file:// window would stay blank. Here each request is answered from the built
 * renderer folder only, with our CSP as a response header. Nothing in this file imports electron at run time.
 */
import { extname, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';

export const APP_SCHEME = 'app';
export const APP_HOST = 'portcullis';
/** The window's document. */
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** True when `url` is on our scheme and host (Node's URL gives a custom scheme no origin, so both are compared). */
export function isAppUrl(url: URL): boolean {
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
}

/**
 * The file an app:// request names inside `rendererDir`, or null: another host, a path that leads out of the
 * folder (`..`, an encoded slash or backslash), a NUL. The bare origin is index.html.
 */
export function appAssetPath(requestUrl: string, rendererDir: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (!isAppUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  return file.startsWith(root + sep) ? file : null;
}

function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Answers one app:// request (the body of Electron's protocol.handle): the file with its type, nosniff and our
 * CSP; 404 for anything outside the renderer folder or missing.
 */
export async function respondToAppRequest(
  requestUrl: string,
  rendererDir: string,
  readFile: (file: string) => Promise<Uint8Array<ArrayBuffer>>,
): Promise<Response> {
  const file = appAssetPath(requestUrl, rendererDir);
  const body = file ? await readFile(file).catch(() => null) : null;
  if (!file || !body) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': contentTypeOf(file),
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    },
  });
}
