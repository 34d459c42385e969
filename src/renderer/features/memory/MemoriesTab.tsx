import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Memory } from '../../../shared/domain/memory';
import { useApi, useAppEvent } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import type { RevealTarget } from '../chat/reveal-target';
import { mcpMemoryNote, mcpMemoryServers, type McpMemoryServer } from './mcp-memory-words';
import { memorySource } from './search-hit-words';

/** Every long-term memory, editable and deletable by the person. */
export function MemoriesTab({ onOpenConversation }: { onOpenConversation: (id: string, at?: Pick<RevealTarget, 'kind' | 'id'>) => void }) {
  const api = useApi();
  const [memories, setMemories] = useState<Memory[] | null>(null);
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  /** The memory whose deletion waits for a second click: it cannot be undone, as a conversation's cannot. */
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Connected MCP servers with memories of their own, which this list does not hold (none known if the catalog fails). */
  const [memoryServers, setMemoryServers] = useState<McpMemoryServer[]>([]);
  const listRef = useRef<HTMLUListElement>(null);

  // The buttons a keyboard user was on go away with an edit or a deletion: the focus goes on to this memory's Edit.
  // Taken after the render that brings the Edit back (an animation frame could come before it, under load, and
  // find the edit form still there).
  const focusAfterRender = useRef<{ memoryId: string | undefined } | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const focusEdit = (memoryId: string | undefined): void => {
    focusAfterRender.current = { memoryId };
    setFocusRequest((n) => n + 1);
  };
  useEffect(() => {
    const wanted = focusAfterRender.current;
    if (!wanted) return;
    focusAfterRender.current = null;
    const { memoryId } = wanted;
    const edit = memoryId && listRef.current?.querySelector<HTMLButtonElement>(`[data-memory-id="${CSS.escape(memoryId)}"] .memory-edit-button`);
    (edit || document.getElementById('memory-tab-memories'))?.focus();
  }, [focusRequest]);
  const endEdit = (memoryId: string): void => {
    setEditing(null);
    focusEdit(memoryId);
  };

  // An edit starts in its text, after the last word.
  const editingId = editing?.id;
  useEffect(() => {
    const text = editingId && listRef.current?.querySelector<HTMLTextAreaElement>('.memory-edit textarea');
    if (!text) return;
    text.focus();
    text.setSelectionRange(text.value.length, text.value.length);
  }, [editingId]);

  const load = useCallback(() => {
    api.invoke('memories.list', {}).then(setMemories, (err: unknown) => setError(`Could not load memories. ${describeError(err)}`));
    api.invoke('tools.catalog', {}).then((catalog) => setMemoryServers(mcpMemoryServers(catalog)), () => setMemoryServers([]));
  }, [api]);
  useEffect(load, [load]);
  useAppEvent('chat.turnEnded', load);

  const save = async (): Promise<void> => {
    if (!editing) return;
    try {
      await api.invoke('memories.update', { id: editing.id, content: editing.text });
      endEdit(editing.id);
      setError(null);
      load();
    } catch (err) {
      setError(`Could not save the memory. ${describeError(err)}`);
    }
  };
  const remove = async (memory: Memory): Promise<void> => {
    setConfirming(null);
    const at = memories?.findIndex((m) => m.id === memory.id) ?? -1;
    const neighbour = memories?.[at + 1] ?? memories?.[at - 1];
    try {
      await api.invoke('memories.delete', { id: memory.id });
      setError(null);
      setMemories((current) => current && current.filter((m) => m.id !== memory.id));
      focusEdit(neighbour?.id);
      load();
    } catch (err) {
      setError(`Could not delete the memory. ${describeError(err)}`);
    }
  };

  // Esc leaves the edit, not the dialog (the dialog lets Esc through from here); Ctrl/Cmd+Enter saves.
  const onEditKeyDown = (event: KeyboardEvent<HTMLFormElement>, memoryId: string): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      endEdit(memoryId);
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (editing?.text.trim()) void save();
    }
  };

  return (
    <div className="memory-tab">
      <p className="muted">What the agent remembers between conversations. It saves a memory only with your approval.</p>
      {error && <p className="memory-error" role="alert">{error}</p>}
      {memories && memories.length === 0 && <p className="muted">No memories yet. Try “remember that I prefer short answers”.</p>}
      {memories && <p className="muted" data-testid="mcp-memory-note">{mcpMemoryNote(memoryServers, memories.length > 0)}</p>}
      <ul ref={listRef} className="memory-list" aria-label="Memories">
        {memories?.map((memory) => (
          <li
            key={memory.id}
            className="memory-item"
            data-testid="memory"
            data-memory-id={memory.id}
            // While "Delete it for good?" waits, Esc anywhere in the row (Source, Edit, the question's buttons) takes
            // back only that question, as Cancel does; the dialog stays (MemoryCenter leaves such an Esc alone).
            onKeyDown={(event) => {
              if (event.key !== 'Escape' || confirming !== memory.id) return;
              event.preventDefault();
              setConfirming(null);
              focusEdit(memory.id);
            }}
          >
            {editing?.id === memory.id ? (
              <form className="memory-edit" onSubmit={(event) => (event.preventDefault(), void save())} onKeyDown={(event) => onEditKeyDown(event, memory.id)}>
                <textarea
                  aria-label="Memory text"
                  aria-keyshortcuts="Control+Enter Meta+Enter Escape"
                  value={editing.text}
                  onChange={(e) => setEditing({ id: memory.id, text: e.target.value })}
                />
                <button type="submit" className="primary" disabled={!editing.text.trim()}>Save</button>
                <button type="button" onClick={() => endEdit(memory.id)}>Cancel</button>
              </form>
            ) : (
              <>
                <span className="memory-content">
                  {memory.content}
                  {memory.taintSource && (
                    <span className="memory-taint muted" data-testid="memory-taint">
                      Saved while its conversation held {memory.taintSource}: read back, it counts as untrusted.
                    </span>
                  )}
                </span>
                <span className="memory-actions">
                  {memory.conversationId && (
                    <button type="button" className="link-button" onClick={() => onOpenConversation(memory.conversationId!, memorySource(memory))} aria-label={`Source of memory: ${memory.content}`}>Source</button>
                  )}
                  <button type="button" className="memory-edit-button" onClick={() => setEditing({ id: memory.id, text: memory.content })} aria-label={`Edit memory: ${memory.content}`}>Edit</button>
                  {confirming === memory.id ? (
                    // It cannot be undone: the keyboard starts on Cancel (Enter twice must not delete), and Esc is Cancel (on the row).
                    <span
                      className="memory-confirm"
                      role="group"
                      aria-label={`Delete memory: ${memory.content}?`}
                    >
                      <span>Delete it for good?</span>
                      <button type="button" className="danger" onClick={() => void remove(memory)}>Delete</button>
                      <button type="button" autoFocus onClick={() => (setConfirming(null), focusEdit(memory.id))}>Cancel</button>
                    </span>
                  ) : (
                    <button type="button" className="danger" onClick={() => setConfirming(memory.id)} aria-label={`Delete memory: ${memory.content}`}>Delete</button>
                  )}
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
