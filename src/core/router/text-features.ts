/**
 * Turns a request into sparse features: placeholders for URLs, paths and quoted text (so "read a.md" and
 * "read b.txt" look alike), word unigrams and bigrams, and character 3–4-grams (which absorb typos).
 */
const URL = /\bhttps?:\/\/[^\s"'`<>]+/gi;
const QUOTED = /"[^"]*"|“[^”]*”|`[^`]*`/g;
const PATH = /(?:\.{0,2}\/)?[\w.-]*[\w-]\.[a-z0-9]{1,6}\b|(?:\.{1,2}|[\w-]+)\/[\w./-]*/gi;

const PLACEHOLDERS = new Set(['zurlz', 'zquotez', 'zpathz']);
// Feature weights: placeholders (a URL above all) say more about the intent than any one word.
const W = { U: 10, P: 6, W: 2, B: 2, C: 1 };

export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(URL, ' zurlz ')
    .replace(QUOTED, ' zquotez ')
    .replace(PATH, ' zpathz ')
    .replace(/[’']/g, '')
    // "Don't forget that …" asks to remember: read as such, its "forget" would pull it towards forgetting.
    .replace(/\b(?:dont|do not|never)\s+forget\b/g, 'remember')
    .replace(/[^a-z0-9\s]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function featuresOf(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string, weight = 1) => counts.set(key, (counts.get(key) ?? 0) + weight);
  const words = normalize(text).split(' ').filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const placeholder = PLACEHOLDERS.has(word);
    add(`w:${word}`, word === 'zurlz' ? W.U : placeholder ? W.P : W.W);
    if (i > 0) add(`b:${words[i - 1]} ${word}`, W.B);
    if (placeholder) continue;
    const padded = ` ${word} `;
    for (const n of [3, 4]) for (let j = 0; j + n <= padded.length; j++) add(`c:${padded.slice(j, j + n)}`, W.C);
  }
  return counts;
}
