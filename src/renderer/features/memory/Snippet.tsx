/** An FTS5 snippet whose matches arrive wrapped in [ and ]; shown with <mark>, never as HTML. */
export function Snippet({ text }: { text: string }) {
  const parts = text.split(/(\[[^\]]*\])/g);
  return (
    <span className="snippet">
      {parts.map((part, i) =>
        part.startsWith('[') && part.endsWith(']') && part.length > 2 ? <mark key={i}>{part.slice(1, -1)}</mark> : <span key={i}>{part}</span>,
      )}
    </span>
  );
}
