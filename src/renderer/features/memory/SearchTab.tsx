import { useEffect, useState } from 'react';
import type { SearchHit } from '../../../shared/domain/memory';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { Snippet } from './Snippet';

/** The search box: ranked hits across conversations and memories, each opening its conversation. */
export function SearchTab({
  initialQuery = '',
  onQueryChange,
  onOpenConversation,
}: {
  initialQuery?: string;
  onQueryChange?: (query: string) => void;
  onOpenConversation: (id: string) => void;
}) {
  const api = useApi();
  const [query, setQuery] = useState(initialQuery);
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const text = query.trim();
    if (!text) {
      setHits(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api.invoke('search.query', { query: text, limit: 30 }).then(
        (result) => live && (setHits(result), setError(null)),
        (err: unknown) => live && setError(`Search failed. ${describeError(err)}`),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, query]);

  return (
    <div className="memory-tab">
      <input
        type="search"
        className="search-input"
        aria-label="Search conversations and memories"
        placeholder="Search conversations and memories"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          onQueryChange?.(event.target.value);
        }}
        autoFocus
      />
      {error && <p className="memory-error" role="alert">{error}</p>}
      {hits && hits.length === 0 && <p className="muted">Nothing found for “{query.trim()}”.</p>}
      {hits && hits.length > 0 && (
        <ul className="search-results" aria-label="Search results">
          {hits.map((hit) => (
            <li key={`${hit.kind}-${hit.id}`} className="search-hit" data-testid="search-hit" data-kind={hit.kind}>
              <div className="search-hit-meta">
                <span className="search-hit-kind">{hit.kind === 'memory' ? 'Memory' : hit.role === 'user' ? 'You' : 'Agent'}</span>
                {hit.conversationTitle && <span className="muted">in {hit.conversationTitle}</span>}
              </div>
              <Snippet text={hit.snippet} marks={hit.marks} />
              {hit.conversationId && (
                <button
                  type="button"
                  className="link-button"
                  // Each result's button named apart, for a screen reader listing them.
                  aria-label={`Open conversation${hit.conversationTitle ? ` ${hit.conversationTitle}` : ''} at: ${hit.snippet.slice(0, 60)}`}
                  onClick={() => onOpenConversation(hit.conversationId!)}
                >
                  Open conversation
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
