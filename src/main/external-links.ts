/**
 * Which links may leave the app for the person's browser or mail client. Only https, mailto and plain http to this
 * machine (a local MCP server's sign-in page): never file:, javascript:, custom protocol handlers (which can start
 * programs) or plain http elsewhere.
 */
export const EXTERNAL_SCHEMES = ['https:', 'http:', 'mailto:'] as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isAllowedExternalUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (!(EXTERNAL_SCHEMES as readonly string[]).includes(url.protocol)) return false;
  if (url.protocol === 'mailto:') return url.pathname.length > 0;
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) return false;
  return url.hostname.length > 0 && url.username === '' && url.password === '';
}

/** Opens `url` with `open` (Electron's shell.openExternal) only when allowed; returns whether it did. */
export function openExternalIfAllowed(url: string, open: (url: string) => Promise<void>): boolean {
  if (!isAllowedExternalUrl(url)) return false;
  void open(url).catch((error: unknown) => console.warn('portcullis: could not open an external link', error));
  return true;
}
