/**
 * A search hit's snippet with its matches in <mark>: drawn from the match ranges, never as HTML. `fromTool`: text a
 * tool returned, drawn as such (its lines kept, set apart as a quotation of output).
 */
export function Snippet({ text, marks, fromTool = false }: { text: string; marks: ReadonlyArray<readonly [number, number]>; fromTool?: boolean }) {
  const parts: Array<{ text: string; match: boolean }> = [];
  let at = 0;
  for (const [start, end] of marks) {
    if (start < at || end > text.length) continue;
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return (
    <span className={fromTool ? 'snippet snippet-tool' : 'snippet'}>
      {parts.map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </span>
  );
}
