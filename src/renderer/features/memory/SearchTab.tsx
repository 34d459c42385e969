import { useEffect, useState } from 'react';
import type { SearchHit } from '../../../shared/domain/memory';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import type { RevealTarget } from '../chat/reveal-target';
import { hitPlace, hitSource, openHitName, revealOf } from './search-hit-words';
import { Snippet } from './Snippet';

/**
 * The search box: ranked hits across conversations, memories and what tools returned, each opening its
 * conversation at the message (a tool's result at its card). A tool's text is drawn apart from the person's and the agent's words.
 */
export function SearchTab({
  initialQuery = '',
  onQueryChange,
  onOpenConversation,
}: {
  initialQuery?: string;
  onQueryChange?: (query: string) => void;
  /** `at`: the message or tool card to show in it. */
  onOpenConversation: (id: string, at?: Pick<RevealTarget, 'kind' | 'id'>) => void;
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
        placeholder="Search conversations, tool results and memories"
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
                <span className="search-hit-kind">{hitSource(hit)}</span>
                {hitPlace(hit) && <span className="muted">{hitPlace(hit)}</span>}
                {hit.untrusted && (
                  <span className="search-hit-untrusted" title="Text a tool returned: neither your words nor the agent's">
                    untrusted
                  </span>
                )}
              </div>
              <Snippet text={hit.snippet} marks={hit.marks} fromTool={hit.kind === 'tool_result'} />
              {hit.conversationId && (
                <button
                  type="button"
                  className="link-button"
                  // Each result's button named apart, for a screen reader listing them.
                  aria-label={openHitName(hit)}
                  onClick={() => onOpenConversation(hit.conversationId!, revealOf(hit))}
                >
                  {hit.kind === 'tool_result' ? 'Open tool call' : 'Open conversation'}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
