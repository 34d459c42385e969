/** The most pages read of a server's list of prompts, resources or templates: a few hundred entries take a page or two. */
const MAX_PAGES = 100;
/** The longest page name (nextCursor) sent back: real ones are short tokens. */
export const MAX_CURSOR_CHARS = 4_096;

/**
 * Whether a list's paging goes on to the page `next` names, after `pages` pages: not past MAX_PAGES, not a page named
 * before, not a name of megabytes (each is kept and sent back). A server whose every page named a new one, even
 * empty, was paged for ever: its prompts never reached the composer, and requests went on while it ran.
 */
function pagingGoesOn(next: string | undefined, seen: Set<string>, pages: number): next is string {
  if (!next || pages >= MAX_PAGES || next.length > MAX_CURSOR_CHARS || seen.has(next)) return false;
  seen.add(next);
  return true;
}

/** One page of a server's list: its entries, and the page it names next. */
export interface ListPage<Entry> {
  entries: readonly Entry[];
  nextCursor?: string | undefined;
}

/** Every page of a server's list of prompts, resources or templates, up to `max` entries `keep` keeps (null: left out). */
export async function readPages<Entry, Kept>(page: (cursor: string | undefined) => Promise<ListPage<Entry>>, keep: (entry: Entry) => Kept | null, max: number): Promise<Kept[]> {
  const kept: Kept[] = [];
  let cursor: string | undefined;
  const seen = new Set<string>();
  let pages = 0;
  do {
    const { entries, nextCursor } = await page(cursor);
    pages++;
    for (const entry of entries) {
      const one = keep(entry);
      if (one) kept.push(one);
    }
    cursor = pagingGoesOn(nextCursor, seen, pages) ? nextCursor : undefined;
  } while (cursor && kept.length < max);
  return kept.slice(0, max);
}
