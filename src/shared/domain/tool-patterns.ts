/**
 * Tool names and globs as a person types them in one line, `fs.read, everything.*, git.{status,log}`: split at
 * the commas outside braces (a brace glob keeps its own), trimmed, the empty ones left out. The CLI's `--tools`
 * and the Settings page read a key's tools alike.
 */
export function splitToolPatterns(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '{') depth += 1;
    if (char === '}') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}
