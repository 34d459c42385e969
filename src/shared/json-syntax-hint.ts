/**
 * The slips a hand-edited config (Claude Desktop's `mcpServers`, pasted or edited) usually holds, said with their line
 * and what to do: JSON.parse's own words for a comma after the last entry name no line ("Unexpected token ']'" and a
 * few characters of the file), and a comment or a typographic quote reads as a stray character. Null for any other
 * text, valid or not: JSON.parse's message says that. Without parentheses of its own: a message may put it in its own.
 */
export function jsonSyntaxHint(text: string): string | null {
  let line = 1;
  let inString = false;
  let lastComma: number | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      lastComma = null;
      continue;
    }
    if (c === ',') {
      lastComma = line;
      continue;
    }
    if ((c === '}' || c === ']') && lastComma !== null) {
      return `line ${lastComma} ends its last entry with a comma before the ${c}, which JSON does not allow: remove it`;
    }
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) return `line ${line} holds a comment, which JSON does not allow: remove it`;
    if ('\u201c\u201d\u2018\u2019'.includes(c)) return `line ${line} holds a typographic quote, ${c}, where JSON takes only straight ones: type it as "`;
    if (!/\s/.test(c)) lastComma = null;
  }
  return null;
}
