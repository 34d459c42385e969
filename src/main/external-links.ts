/**
 * Which links may leave the app for the person's browser or mail client. Only https and mailto: never file:,
 * javascript:, custom protocol handlers (which can start programs) or plain http.
 */
export const EXTERNAL_SCHEMES = ['https:', 'mailto:'] as const;

export function isAllowedExternalUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (!(EXTERNAL_SCHEMES as readonly string[]).includes(url.protocol)) return false;
  if (url.protocol === 'https:') return url.hostname.length > 0 && url.username === '' && url.password === '';
  return url.pathname.length > 0;
}

/** Opens `url` with `open` (Electron's shell.openExternal) only when allowed; returns whether it did. */
export function openExternalIfAllowed(url: string, open: (url: string) => Promise<void>): boolean {
  if (!isAllowedExternalUrl(url)) return false;
  void open(url).catch((error: unknown) => console.warn('portcullis: could not open an external link', error));
  return true;
}
