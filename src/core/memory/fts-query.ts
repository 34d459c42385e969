/**
 * Turns what a person types into a safe FTS5 query: each word becomes a quoted term (so operators and
 * punctuation cannot break the syntax), the last one a prefix, all required. Returns null when nothing is left.
 */
export function toFtsQuery(input: string): string | null {
  const words = input.match(/[\p{L}\p{N}_]+/gu) ?? [];
  if (words.length === 0) return null;
  return words
    .slice(0, 20)
    .map((word, i, all) => `"${word}"${i === all.length - 1 && word.length >= 2 ? '*' : ''}`)
    .join(' ');
}
