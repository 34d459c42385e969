const URL = /\bhttps?:\/\/[^\s"'`<>]+[^\s"'`<>.,;:!?)]/i;
// Quotes, but an apostrophe only as one: "read Bob's notes.md" quotes nothing.
const QUOTED = /"([^"]*)"|“([^”]*)”|`([^`]*)`|(?:^|\s)'([^']+)'(?=$|[\s.,;:!?])/g;
// A name with an extension, a path with a slash, or a dotfile (".env", ".gitignore": a dot, then a letter).
const FILE_LIKE = /(?:^|[\s"'`(])((?:\.{0,2}\/)?[\w.-]*[\w-]\.[a-z0-9]{1,6}|(?:\.{1,2}|[\w-]+)\/[\w./-]*[\w-]|\.[a-z][\w.-]*[\w-])(?=$|[\s"'`),:;!?]|\.(?:\s|$))/gi;
const FOLDER = /\b(?:in|of|under|inside|within)\s+(?:the\s+)?(?:folder|directory|dir)?\s*["'`]?([\w./-]+?)["'`]?\s*(?:folder|directory|dir)?\s*[?.!]?$/i;
/** Words that only say "the folder" (or "my files"): never a name. */
export const FOLDER_WORDS = new Set(['workspace', 'my', 'the', 'this', 'here', 'folder', 'directory', 'dir', 'it', 'there', 'root', 'project', 'files']);

/**
 * Where a request names a path, and how: a file-like word ("notes.md", "docs/plan.md", ".env"), a quoted name, or
 * only the folder its last words name ("list the files in notes"). `at` is where the value starts in the request.
 * `folder`: the folder a file-like word is said to be in ("read plan.md in docs"), with where that clause starts.
 */
export interface PathMention {
  value: string;
  at: number;
  how: 'file-like' | 'quoted' | 'folder';
  folder?: { name: string; clauseAt: number };
}

/**
 * The path a request names. A file-like word outside quotes comes first ("write 'see b.txt' to a.txt" writes a.txt);
 * one inside quotes stands for the whole quoted name ("read 'my notes.md'"); then any quoted text; then a folder.
 */
export function pathMention(text: string): PathMention | undefined {
  // Addresses blanked to the same length, so that where a name starts is where it starts in the request.
  const plain = text.replace(new RegExp(URL.source, 'gi'), (url) => ' '.repeat(url.length));
  const quotes = [...plain.matchAll(QUOTED)].map((match) => {
    const value = match.slice(1).find((g) => g !== undefined)!;
    const end = match.index + match[0].length;
    return { value, start: end - value.length - 2, end };
  });
  const files = [...plain.matchAll(FILE_LIKE)].map((match) => ({ value: match[1]!, at: match.index + match[0].length - match[1]!.length }));
  const quoteOf = (at: number) => quotes.find((quote) => quote.start < at && at < quote.end);
  const folderClause = FOLDER.exec(plain);
  const folder = folderClause && !FOLDER_WORDS.has(folderClause[1]!.toLowerCase()) ? { name: folderClause[1]!, clauseAt: folderClause.index } : undefined;
  const unquoted = files.find((file) => !quoteOf(file.at) && (!folder || file.at < folder.clauseAt));
  if (unquoted) return { ...unquoted, how: 'file-like', ...(folder ? { folder } : {}) };
  const inQuotes = files.map((file) => quoteOf(file.at)).find((quote) => quote !== undefined);
  const quoted = inQuotes ?? quotes[0];
  if (quoted) return { value: quoted.value, at: quoted.start + 1, how: 'quoted' };
  const outside = files[0];
  if (outside) return { ...outside, how: 'file-like' };
  return folder ? { value: folder.name, at: folder.clauseAt + folderClause![0].lastIndexOf(folder.name), how: 'folder' } : undefined;
}
