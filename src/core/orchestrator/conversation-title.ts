/** A conversation's title until its first message names it. */
export const DEFAULT_TITLE = 'New chat';

/** The message's first line, cut; one that begins with a resource picked from the `/` list is named after it. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0]!;
  const resource = /^\[resource (\S+)/.exec(line);
  const title = resource ? resourceName(resource[1]!) : line;
  return title.length > 60 ? `${title.slice(0, 57)}…` : title;
}

/** `architecture.md` for `demo://resource/static/document/architecture.md`; the URI past its scheme when its end says nothing (`/1`). */
function resourceName(uri: string): string {
  const rest = uri.replace(/^[a-z][a-z0-9+.-]*:\/*/i, '');
  const last = rest.split(/[/?#]/).filter(Boolean).at(-1) ?? '';
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // a stray % stays as it is
  }
  return /\p{L}/u.test(name) ? name : rest || uri;
}
