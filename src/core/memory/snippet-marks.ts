/** What FTS5's `snippet()` puts around each match: private-use characters, which no text of the person's holds. */
export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';

/**
 * A snippet as plain text and the ranges of its matches. Brackets were the markers before, and a text with its own
 * brackets ("- [x] invoice [draft]") then read as matches, and the markers reached the model's answer as text.
 */
export function readSnippet(marked: string): { snippet: string; marks: Array<[number, number]> } {
  let snippet = '';
  const marks: Array<[number, number]> = [];
  let start = -1;
  for (const char of marked) {
    if (char === MARK_OPEN) start = snippet.length;
    else if (char === MARK_CLOSE) {
      if (start >= 0 && snippet.length > start) marks.push([start, snippet.length]);
      start = -1;
    } else snippet += char;
  }
  return { snippet, marks };
}
