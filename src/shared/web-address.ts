/** One web address a call's arguments hold, and where in them: `url`, `data`, `targets[1]`, `request.endpoint`. */
export interface ArgumentUrl {
  argument: string;
  url: URL;
}

const MAX_DEPTH = 4;

/** `text` as an http(s) address, when that is all it is (the URL parser would drop surrounding spaces; we do not). */
export function webAddress(text: string): URL | null {
  if (!/^https?:\/\/\S+$/iu.test(text)) return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * Every argument value that is a web address (http or https) as a whole, whatever the argument is called: a tool
 * may take the address it reaches in `url`, `uri`, `endpoint`, or in `data` (server-everything's
 * gzip-file-as-resource). Nested values count up to four levels down. Text that merely holds a link (a file's
 * content) is not an address the call reaches. Each address once, at most `max`.
 */
export function webAddressesIn(args: unknown, max: number): ArgumentUrl[] {
  const found = new Map<string, ArgumentUrl>();
  const visit = (value: unknown, argument: string, depth: number): void => {
    if (found.size >= max) return;
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
