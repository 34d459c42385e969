/** The most pages read of a server's list of prompts, resources or templates: a few hundred entries take a page or two. */
const MAX_PAGES = 100;
/** The longest page name (nextCursor) sent back: real ones are short tokens. */
const MAX_CURSOR_CHARS = 4_096;

/**
 * Whether a list's paging goes on to the page `next` names, after `pages` pages: not past MAX_PAGES, not a page named
 * before, not a name of megabytes (each is kept and sent back). A server whose every page named a new one, even
 * empty, was paged for ever: its prompts never reached the composer, and requests went on while it ran.
 */
export function pagingGoesOn(next: string | undefined, seen: Set<string>, pages: number): next is string {
  if (!next || pages >= MAX_PAGES || next.length > MAX_CURSOR_CHARS || seen.has(next)) return false;
  seen.add(next);
  return true;
}
