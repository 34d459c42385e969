/** Where a link goes: its host ("docs.example.org"), or null for an address that names none. */
export function linkHost(href: string | undefined): string | null {
  if (!href) return null;
  try {
    return new URL(href).host || null;
  } catch {
    return null;
  }
}

/**
 * Whether a link's words already say where it goes: they are its address, or its host, and no other. Words that
 * merely hold the host ("https://bank.example/?ref=evil.example" over a link to evil.example) do not say it: they
 * name another site, so the link's own host is shown beside them.
 */
export function wordsNameHost(words: string, host: string): boolean {
  const text = words.trim();
  if (text === '' || /\s/.test(text)) return false;
  const named = linkHost(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  return named !== null && named.toLowerCase() === host.toLowerCase();
}
