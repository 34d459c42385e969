import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Conversation } from '../../../shared/domain/conversation';
import { describeError } from '../../lib/errors';
import { useFocusKeptWhile } from '../../lib/focus-kept';
import { focusSoon } from '../../lib/focus-soon';
import { deleteWaitsWords, runningElsewhereWords } from './running-elsewhere';

export interface ConversationRowProps {
  conversation: Conversation;
  selected: boolean;
  running: boolean;
  /** The pid of another Portcullis process on the data folder that runs a turn here now. */
  runningElsewhere?: number | undefined;
  /** The list's one Tab stop (a roving tabindex): this row's buttons are reached with Tab, the others' with ↑/↓. */
  tabStop: boolean;
  /** Says the keys the rows take (↑/↓, F2, Delete). */
  keysHintId: string;
  /** Something in the row took the keyboard: it becomes the list's Tab stop. */
  onFocused: (conversationId: string) => void;
  onSelect: (conversationId: string) => void;
  onRename: (conversationId: string, title: string) => Promise<void>;
  onDelete: (conversationId: string) => Promise<void>;
}

type Mode = 'view' | 'rename' | 'confirm-delete';

/** What "private" means, wherever a private conversation is marked. */
export const PRIVATE_NOTE = 'Private: kept in memory only, never written to disk, gone when Portcullis quits';

/** A conversation's title as the sidebar shows (and filters) it. */
export const shownTitle = (conversation: Conversation): string => conversation.title || 'Untitled';

/**
 * One conversation in the sidebar: opens it, and renames or deletes it in place. Only the list's Tab stop row is
 * in the Tab order (ConversationList moves it with ↑/↓). F2 renames the focused one and Delete asks to delete it;
 * a deletion is confirmed in the row, with Cancel focused (Esc too), since it cannot be undone.
 */
export function ConversationRow({ conversation, selected, running, runningElsewhere, tabStop, keysHintId, onFocused, onSelect, onRename, onDelete }: ConversationRowProps) {
  const [mode, setMode] = useState<Mode>('view');
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  // Set when Esc or Enter has ended the rename, so the blur as the field goes away does not save (again).
  const renameEnded = useRef(false);
  const title = shownTitle(conversation);

  useEffect(() => {
    if (mode === 'rename') inputRef.current?.select();
    if (mode === 'confirm-delete') cancelRef.current?.focus();
  }, [mode]);

  const back = (): void => {
    setMode('view');
    focusSoon(openRef);
  };
  const startRename = (): void => {
    setError(null);
    setDraft(title);
    renameEnded.current = false;
    setMode('rename');
  };
  const askDelete = (): void => {
    setError(null);
    setMode('confirm-delete');
  };
  // The field or buttons wait disabled while the host answers; a refusal leaves the keyboard where it was.
  const keepFocus = useFocusKeptWhile(busy);
  const act = async (action: () => Promise<void>, failure: string, after: () => void): Promise<void> => {
    keepFocus();
    setBusy(true);
    try {
      await action();
      after();
    } catch (err) {
      setError(`${failure} ${describeError(err)}`);
    } finally {
      setBusy(false);
    }
  };
  const saveRename = (): void => {
    const next = draft.trim();
    if (!next || next === conversation.title) return back();
    void act(() => onRename(conversation.id, next), 'Could not rename it.', back);
  };

  const onOpenKeyDown = (event: KeyboardEvent<HTMLButtonElement>): void => {
    if (event.key === 'F2') {
      event.preventDefault();
      startRename();
    } else if (event.key === 'Delete') {
      event.preventDefault();
      askDelete();
    }
  };
  const onRenameKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      event.preventDefault();
      renameEnded.current = true;
      saveRename();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      renameEnded.current = true;
      back();
    }
  };

  return (
    <li className="conversation-row" data-testid="conversation-row" data-conversation-id={conversation.id} onFocus={() => onFocused(conversation.id)}>
      {mode === 'rename' ? (
        <input
          ref={inputRef}
          type="text"
          className="conversation-rename"
          aria-label={`New name for ${title}`}
          value={draft}
          maxLength={200}
          disabled={busy}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onRenameKeyDown}
          onBlur={() => !busy && !renameEnded.current && saveRename()}
        />
      ) : (
        <div className="conversation-line">
          <button
            ref={openRef}
            type="button"
            className="conversation"
            data-testid="conversation"
            data-conversation-id={conversation.id}
            aria-current={selected ? 'page' : undefined}
            aria-keyshortcuts="ArrowUp ArrowDown Home End F2 Delete"
            aria-describedby={keysHintId}
            tabIndex={tabStop ? 0 : -1}
            // The whole title on hover: the column cuts a long one ("Cursor (MCP, key "…"), and such rows look alike.
            title={conversation.private ? `${title}\n${PRIVATE_NOTE}` : title}
            onClick={() => onSelect(conversation.id)}
            onKeyDown={onOpenKeyDown}
          >
            <span className="conversation-title">{title}</span>
            {conversation.private && (
              <span className="private-mark" data-testid="private-mark">
                private
              </span>
            )}
            {running ? (
              <span className="running-dot" aria-label="working" role="img" />
            ) : (
              runningElsewhere !== undefined && (
                // The same dot: it runs all the same, only not in this window (its approvals are answered there).
                <span className="running-dot" data-testid="running-elsewhere" aria-label={runningElsewhereWords(runningElsewhere)} title={runningElsewhereWords(runningElsewhere)} role="img" />
              )
            )}
          </button>
          <span className="conversation-actions">
            <button type="button" className="icon-button" aria-label={`Rename ${title}`} title="Rename (F2)" tabIndex={tabStop ? 0 : -1} onClick={startRename}>
              ✎
            </button>
            <button type="button" className="icon-button" aria-label={`Delete ${title}`} title="Delete (Del)" tabIndex={tabStop ? 0 : -1} onClick={askDelete}>
              ×
            </button>
          </span>
        </div>
      )}
      {mode === 'confirm-delete' && (
        <div
          className="conversation-confirm"
          role="group"
          aria-label={`Delete ${title}?`}
          // Esc takes the question back, as Cancel does (and is not also taken as Stop for a running turn).
          onKeyDown={(event) => {
            if (event.key !== 'Escape' || busy) return;
            event.preventDefault();
            back();
          }}
        >
          <p>Delete “{title}” with its messages, tool calls and traces? The audit log keeps its entries.</p>
          {/* The host refuses while a turn runs there: say so before the click, not after. */}
          {running ? (
            <p className="sidebar-error">The agent is still working here. Press Stop first.</p>
          ) : (
            runningElsewhere !== undefined && <p className="sidebar-error">{deleteWaitsWords(runningElsewhere)}</p>
          )}
          <button type="button" className="danger" disabled={busy || running || runningElsewhere !== undefined} onClick={() => void act(() => onDelete(conversation.id), 'Could not delete it.', () => undefined)}>
            Delete
          </button>
          <button ref={cancelRef} type="button" disabled={busy} onClick={back}>
            Cancel
          </button>
        </div>
      )}
      {error && (
        <p className="sidebar-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
