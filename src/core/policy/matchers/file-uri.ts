import { sep } from 'node:path';

/** What a path argument says when read as a URI: no file URI, the path a `file:` URI names, or one no parser takes. */
export type FileUriReading = { kind: 'none' } | { kind: 'path'; path: string } | { kind: 'malformed' };

// The URL parser drops tabs and newlines anywhere and C0 controls and spaces around: "fi\tle:" is a file URI too.
const LOOKS_LIKE_FILE_URI = /^file:/i;

/**
 * The path a `file:` URI names, as a server that takes resources by URI reads it (`file:///home/me/.env`):
 * percent-escapes decoded (each run that decodes; one that does not stays as written), `..` resolved by the URL
 * parser, a host ignored as a server reading the path would (on Windows it is a UNC share). Other schemes
 * (`https:`, `test://`) are not paths. A value that starts as a file URI but that no URL parser takes is malformed.
 */
export function readFileUri(value: string): FileUriReading {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // eslint-disable-next-line no-control-regex -- the same characters the URL parser drops
    return LOOKS_LIKE_FILE_URI.test(value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '')) ? { kind: 'malformed' } : { kind: 'none' };
  }
  if (url.protocol !== 'file:') return { kind: 'none' };
  const decoded = url.pathname.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
  if (sep !== '\\') return { kind: 'path', path: decoded };
  const local = /^\/[a-z]:/i.test(decoded) ? decoded.slice(1) : decoded;
  return { kind: 'path', path: url.hostname && url.hostname !== 'localhost' ? `\\\\${url.hostname}${local}` : local };
}
