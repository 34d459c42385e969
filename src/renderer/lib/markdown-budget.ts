/**
 * The most emphasis and link marks (`*`, `_`, `~`, `[`) a reply may hold to be laid out as Markdown. Pairing them up
 * is quadratic in the Markdown parser: 8,000 of `*a_` took 3.8 s, 50,000 of `*a` 107 s, 12,500 of `[a](` 4.9 s, and a
 * streamed reply is laid out again at every piece, so a reply the model was steered into writing froze the window.
 * Past this it is shown as plain text (its words and line breaks as written); 2,000 marks lay out in under 0.1 s.
 */
export const MAX_EMPHASIS_MARKS = 2_000;

/** Whether `text` is laid out as Markdown, or shown as plain text for holding too many of those marks. */
export function laidOutAsMarkdown(text: string): boolean {
  let marks = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 42 || c === 95 || c === 126 || c === 91) && ++marks > MAX_EMPHASIS_MARKS) return false; // * _ ~ [
  }
  return true;
}
