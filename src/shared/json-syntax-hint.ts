/**
 * The slips a hand-edited config (Claude Desktop's `mcpServers`, pasted or edited) usually holds, said with their line
 * and what to do: JSON.parse's own words for a comma after the last entry name no line ("Unexpected token ']'" and a
 * few characters of the file), a comma left out between two entries is placed at the next entry's line (where the
 * comma belongs is the end of the line before), and a comment or a typographic quote reads as a stray character. Null
 * for any other text, valid or not: JSON.parse's message says that. Without parentheses of its own: a message may put
 * it in its own.
 */
export function jsonSyntaxHint(text: string): string | null {
  let line = 1;
  let inString = false;
  let lastComma: number | null = null;
  /** The line where a value (a string, number, literal, object or array) ended, until a comma, colon or bracket. */
  let valueEnded: number | null = null;
  /** The open objects and arrays: a string first in an object, or after its comma, is a key, not a value. */
  const open: Array<'{' | '['> = [];
  let expectKey = false;
  let stringIsKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (!stringIsKey) valueEnded = line;
      }
      continue;
    }
    if (/\s/.test(c)) continue;
    if (valueEnded !== null && open.length > 0 && (c === '"' || c === '{' || c === '[')) {
      return valueEnded === line
        ? `line ${line} holds two entries with no comma between them, which JSON needs: add one after the first`
        : `line ${valueEnded} ends an entry with no comma before the next one, which JSON needs: add a comma at its end`;
    }
    if (c === '"') {
      inString = true;
      stringIsKey = expectKey && open.at(-1) === '{';
      expectKey = false;
      lastComma = null;
      continue;
    }
    if (c === ',') {
      lastComma = line;
      valueEnded = null;
      expectKey = open.at(-1) === '{';
      continue;
    }
    if ((c === '}' || c === ']') && lastComma !== null) {
      return `line ${lastComma} ends its last entry with a comma before the ${c}, which JSON does not allow: remove it`;
    }
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) return `line ${line} holds a comment, which JSON does not allow: remove it`;
    if ('\u201c\u201d\u2018\u2019'.includes(c)) return `line ${line} holds a typographic quote, ${c}, where JSON takes only straight ones: type it as "`;
    lastComma = null;
    if (c === '{' || c === '[') {
      open.push(c);
      expectKey = c === '{';
      valueEnded = null;
    } else if (c === '}' || c === ']') {
      open.pop();
      valueEnded = line;
    } else if (c === ':') {
      valueEnded = null;
      expectKey = false;
    } else {
      // A number or a literal (true, false, null) is a value; anything else (a token pasted unquoted) is another
      // mistake, which JSON.parse's position says, so no slip after it is named.
      const token = /^[\w.+-]+/.exec(text.slice(i))?.[0] ?? c;
      if (!/^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/.test(token)) return null;
      i += token.length - 1;
      valueEnded = line;
    }
  }
  return null;
}
