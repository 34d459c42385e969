/** A word of bubblewrap's line and where it stands in it. */
export interface Word {
  text: string;
  start: number;
  end: number;
}

/**
 * The words of a shell line up to its first `--` (included), as sandbox-runtime quotes them (bare, or single-quoted
 * with `'"'"'` for a quote) and as `shellQuote` does (`'\''`). Empty when a word is quoted otherwise or the line has
 * no `--` (nothing is edited then).
 */
export function bwrapWords(line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    const start = i;
    let text = '';
    while (i < line.length && line[i] !== ' ') {
      if (line[i] === "'") {
        const close = line.indexOf("'", i + 1);
        if (close < 0) return [];
        text += line.slice(i + 1, close);
        i = close + 1;
      } else if (line[i] === '"') {
        const close = line.indexOf('"', i + 1);
        if (close < 0 || line.slice(i + 1, close).includes('\\')) return [];
        text += line.slice(i + 1, close);
        i = close + 1;
      } else if (line[i] === '\\' && line[i + 1] === "'") {
        text += "'";
        i += 2;
      } else if (/[\\$`]/.test(line[i]!)) {
        return [];
      } else {
        text += line[i];
        i++;
      }
    }
    words.push({ text, start, end: i });
    if (text === '--') return words;
  }
  return [];
}
