import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Conversation } from '../../../shared/domain/conversation';
import { ConversationRow, shownTitle } from './ConversationRow';
import { useRunningElsewhere } from './useRunningElsewhere';

export interface ConversationListProps {
  conversations: readonly Conversation[];
  selectedId: string | null;
  onSelect: (conversationId: string) => void;
  onNew: (options?: { private?: boolean }) => void;
  onRename: (conversationId: string, title: string) => Promise<void>;
  onDelete: (conversationId: string) => Promise<void>;
  /** Opens the full-text search over every message and memory with this query. */
  onSearchMessages: (query: string) => void;
  busy: boolean;
  error: string | null;
  /** What the last deletion had to add (the deleted text is still in a WAL file for now). */
  deletionNote?: string | null;
  /** Conversations with a turn in progress. */
  runningIds: ReadonlySet<string>;
  /** The other places (Search & memory, Tools & servers, Policies, Traces, Settings), below the conversations. */
  places: ReactNode;
  /** The last conversation listed was deleted: the keyboard goes on elsewhere (the message box). */
  onListEmptied: () => void;
}

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = IS_MAC ? '⌘' : 'Ctrl+';

/** Rows drawn at first, and added by each "Show more": thousands of rows made every turn's refresh, and each key
 * typed in the filter, take a third of a second or more (5,000 conversations: 1.0 s for a turn against 0.35 s). */
const PAGE = 100;

/** Titles that contain every word of the filter, in any case and order. */
function matching(conversations: readonly Conversation[], filter: string): readonly Conversation[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return conversations;
  return conversations.filter((c) => words.every((word) => shownTitle(c).toLowerCase().includes(word)));
}

/**
 * The left sidebar: new chats (Ctrl/Cmd+N, private with Shift), the conversations newest first with a filter on
 * their titles (Enter searches inside the messages too), then the app's other places.
 */
export function ConversationList(props: ConversationListProps) {
  const { conversations, selectedId, onSelect, onNew, busy, error, runningIds } = props;
  const [filter, setFilter] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const shown = useMemo(() => matching(conversations, filter), [conversations, filter]);
  const drawn = shown.length > limit ? shown.slice(0, limit) : shown;
  const query = filter.trim();
  const list = useRef<HTMLUListElement>(null);
  const keysHintId = useId();
  const runningElsewhere = useRunningElsewhere();

  // One Tab stop for the whole list (with the Rename and Delete of that row): the row last focused, else the open
  // conversation, else the first. ↑/↓, Home/End move between the rows (a roving tabindex).
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const isDrawn = (id: string | null): id is string => id !== null && drawn.some((c) => c.id === id);
  const tabStopId = isDrawn(focusedId) ? focusedId : isDrawn(selectedId) ? selectedId : (drawn[0]?.id ?? null);
  const openButton = (conversationId: string) =>
    list.current?.querySelector<HTMLButtonElement>(`button.conversation[data-conversation-id="${CSS.escape(conversationId)}"]`) ?? null;
  const onListKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    // Only from a row's buttons: the rename field and the delete question keep their keys.
    const from = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('.conversation-line button') : null;
    const row = from?.closest<HTMLElement>('[data-conversation-id]');
    if (!row || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const at = drawn.findIndex((c) => c.id === row.dataset.conversationId);
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: drawn.length - 1 };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = drawn[Math.max(0, Math.min(drawn.length - 1, to))];
    if (next) openButton(next.id)?.focus();
  };

  // The open conversation (chosen in a search, say) is drawn even when it is further down than the rows drawn so far.
  const selectedAt = selectedId ? shown.findIndex((c) => c.id === selectedId) : -1;
  useEffect(() => {
    if (selectedAt >= limit) setLimit(Math.ceil((selectedAt + 1) / PAGE) * PAGE);
  }, [selectedAt, limit]);

  // "Show more" goes away with the last page: the keyboard goes on to the first row it drew.
  const showMore = (): void => {
    const firstNew = shown[drawn.length];
    setLimit((n) => n + PAGE);
    requestAnimationFrame(() => {
      if (firstNew) openButton(firstNew.id)?.focus();
    });
  };

  // The deleted row takes its buttons with it: the keyboard moves on to the next conversation (or the one before).
  const deleteAndMoveOn = async (conversationId: string) => {
    const at = drawn.findIndex((c) => c.id === conversationId);
    const neighbour = drawn[at + 1] ?? drawn[at - 1];
    await props.onDelete(conversationId);
    const next = neighbour && openButton(neighbour.id);
    if (next) next.focus();
    else props.onListEmptied();
  };

  return (
    <div className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Portcullis</span>
      </div>
      <div className="new-chats">
        <button type="button" className="new-chat" onClick={() => onNew()} disabled={busy} aria-keyshortcuts="Control+N Meta+N" title={`New chat (${MOD}N)`}>
          New chat
        </button>
        <button
          type="button"
          className="new-chat new-private-chat"
          onClick={() => onNew({ private: true })}
          disabled={busy}
          aria-keyshortcuts="Control+Shift+N Meta+Shift+N"
          title={`New private chat: kept in memory only, never written to disk (${MOD}Shift+N)`}
        >
          New private chat
        </button>
      </div>
      <nav className="sidebar-conversations" aria-label="Conversations">
        <h2 className="sidebar-heading">Conversations</h2>
        <input
          type="search"
          className="search-input sidebar-search"
          aria-label="Filter conversations"
          placeholder="Filter conversations"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && query) {
              event.preventDefault();
              props.onSearchMessages(query);
            } else if (event.key === 'Escape' && filter) {
              event.preventDefault();
              setFilter('');
            }
          }}
        />
        {error && (
          <p className="sidebar-error" role="alert">
            {error}
          </p>
        )}
        {props.deletionNote && (
          <p className="sidebar-error" role="status">
            {props.deletionNote}
          </p>
        )}
        {conversations.length === 0 && !error && <p className="muted sidebar-empty">No conversations yet.</p>}
        {conversations.length > 0 && shown.length === 0 && <p className="muted sidebar-empty">No titles match “{query}”.</p>}
        {query && (
          <button type="button" className="link-button sidebar-search-all" onClick={() => props.onSearchMessages(query)}>
            Search messages for “{query}”
          </button>
        )}
        {shown.length > 0 && (
          <ul ref={list} className="conversation-list" onKeyDown={onListKeyDown}>
            {drawn.map((conversation) => (
              <ConversationRow
                key={conversation.id}
                conversation={conversation}
                selected={conversation.id === selectedId}
                running={runningIds.has(conversation.id)}
                runningElsewhere={runningElsewhere.get(conversation.id)}
                tabStop={conversation.id === tabStopId}
                keysHintId={keysHintId}
                onFocused={setFocusedId}
                onSelect={onSelect}
                onRename={props.onRename}
                onDelete={deleteAndMoveOn}
              />
            ))}
          </ul>
        )}
        <p id={keysHintId} className="visually-hidden">
          ↑ ↓ other conversations, F2 rename, Delete delete
        </p>
        {shown.length > drawn.length && (
          <button type="button" className="link-button sidebar-show-more" onClick={showMore}>
            Show {Math.min(PAGE, shown.length - drawn.length)} more ({shown.length - drawn.length} not shown)
          </button>
        )}
      </nav>
      <nav className="sidebar-places" aria-label="Places">
        {props.places}
      </nav>
    </div>
  );
}
