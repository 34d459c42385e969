/** One web address a call's arguments hold, and where in them: `url`, `data`, `targets[1]`, `request.endpoint`. */
export interface ReachedUrl {
  argument: string;
  url: URL;
}

/** More than this many addresses would crowd the dialog; the full arguments are below them. */
const MAX_SHOWN = 5;
const MAX_DEPTH = 4;

/**
 * Every argument value that is a web address (http or https) as a whole, whatever the argument is called: a tool
 * may take the address it reaches in `url`, `uri`, `endpoint`, or in `data` (server-everything's
 * gzip-file-as-resource), so the dialog names the host for each, not only for an argument named `url`. Text that
 * merely holds a link (a file's content) is not an address the call reaches. Each address once, at most five.
 */
export function reachedUrls(args: unknown): ReachedUrl[] {
  const found = new Map<string, ReachedUrl>();
  const visit = (value: unknown, argument: string, depth: number): void => {
    if (found.size >= MAX_SHOWN) return;
    if (typeof value === 'string') {
      const url = webAddress(value);
      if (url && !found.has(url.href)) found.set(url.href, { argument, url });
      return;
    }
    if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return;
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${argument}[${index}]`, depth + 1));
    else for (const [key, item] of Object.entries(value)) visit(item, argument === '' ? key : `${argument}.${key}`, depth + 1);
  };
  visit(args, '', 0);
  return [...found.values()];
}

/** `text` as an http(s) address, when that is all it is (the URL parser would drop surrounding spaces; we do not). */
function webAddress(text: string): URL | null {
  if (!/^https?:\/\/\S+$/iu.test(text)) return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
