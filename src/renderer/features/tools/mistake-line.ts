/**
 * The line a refusal of mcp.json names ("line 6 ends an entry with no comma…", "its mistake is at line 7, column 5"),
 * and where that line is in the text (its start and end offsets), so the editor can put the caret there: it has no
 * line numbers, and counting down to line 57 of a pasted config is how a fix goes wrong. Null when none is named, or
 * the text has no such line.
 */
export function mistakeLine(problems: readonly string[], text: string): { line: number; start: number; end: number } | null {
  const named = problems.map((problem) => /\bline (\d+)\b/.exec(problem)).find((match) => match !== null);
  if (!named) return null;
  const line = Number(named[1]);
  const lines = text.split('\n');
  if (line < 1 || line > lines.length) return null;
  const start = lines.slice(0, line - 1).reduce((offset, before) => offset + before.length + 1, 0);
  return { line, start, end: start + lines[line - 1]!.length };
}
