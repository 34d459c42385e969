import type { Conversation } from '../../../shared/domain/conversation';

export interface ConversationListProps {
  conversations: readonly Conversation[];
  selectedId: string | null;
  onSelect: (conversationId: string) => void;
  onNew: () => void;
  busy: boolean;
  error: string | null;
  /** Conversations with a turn in progress. */
  runningIds: ReadonlySet<string>;
}

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** The left sidebar: a new-chat button (Ctrl/Cmd+N) and every conversation, newest first. */
export function ConversationList({ conversations, selectedId, onSelect, onNew, busy, error, runningIds }: ConversationListProps) {
  return (
    <nav className="sidebar" aria-label="Conversations">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Portcullis</span>
      </div>
      <button
        type="button"
        className="new-chat"
        onClick={onNew}
        disabled={busy}
        aria-keyshortcuts="Control+N Meta+N"
        title={IS_MAC ? 'New chat (⌘N)' : 'New chat (Ctrl+N)'}
      >
        New chat
      </button>
      <h2 className="sidebar-heading">Conversations</h2>
      {error && (
        <p className="sidebar-error" role="alert">
          {error}
        </p>
      )}
      {conversations.length === 0 && !error ? (
        <p className="muted sidebar-empty">No conversations yet.</p>
      ) : (
        <ul className="conversation-list">
          {conversations.map((conversation) => (
            <li key={conversation.id}>
              <button
                type="button"
                className="conversation"
                data-testid="conversation"
                data-conversation-id={conversation.id}
                aria-current={conversation.id === selectedId ? 'page' : undefined}
                onClick={() => onSelect(conversation.id)}
              >
                <span className="conversation-title">{conversation.title || 'Untitled'}</span>
                {runningIds.has(conversation.id) && <span className="running-dot" aria-label="working" role="img" />}
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
