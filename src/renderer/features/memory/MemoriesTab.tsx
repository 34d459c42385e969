import { useCallback, useEffect, useState } from 'react';
import type { Memory } from '../../../shared/domain/memory';
import { useApi, useAppEvent } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';

/** Every long-term memory, editable and deletable by the person. */
export function MemoriesTab({ onOpenConversation }: { onOpenConversation: (id: string) => void }) {
  const api = useApi();
  const [memories, setMemories] = useState<Memory[] | null>(null);
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api.invoke('memories.list', {}).then(setMemories, (err: unknown) => setError(`Could not load memories. ${describeError(err)}`));
  }, [api]);
  useEffect(load, [load]);
  useAppEvent('chat.turnEnded', load);

  const save = async (): Promise<void> => {
    if (!editing) return;
    try {
      await api.invoke('memories.update', { id: editing.id, content: editing.text });
      setEditing(null);
      setError(null);
      load();
    } catch (err) {
      setError(`Could not save the memory. ${describeError(err)}`);
    }
  };
  const remove = async (memory: Memory): Promise<void> => {
    try {
      await api.invoke('memories.delete', { id: memory.id });
      setError(null);
      load();
    } catch (err) {
      setError(`Could not delete the memory. ${describeError(err)}`);
    }
  };

  return (
    <div className="memory-tab">
      <p className="muted">What the agent remembers between conversations. It saves a memory only with your approval.</p>
      {error && <p className="memory-error" role="alert">{error}</p>}
      {memories && memories.length === 0 && <p className="muted">No memories yet. Try “remember that I prefer short answers”.</p>}
      <ul className="memory-list" aria-label="Memories">
        {memories?.map((memory) => (
          <li key={memory.id} className="memory-item" data-testid="memory">
            {editing?.id === memory.id ? (
              <form className="memory-edit" onSubmit={(event) => (event.preventDefault(), void save())}>
                <textarea aria-label="Memory text" value={editing.text} onChange={(e) => setEditing({ id: memory.id, text: e.target.value })} />
                <button type="submit" className="primary" disabled={!editing.text.trim()}>Save</button>
                <button type="button" onClick={() => setEditing(null)}>Cancel</button>
              </form>
            ) : (
              <>
                <span className="memory-content">{memory.content}</span>
                <span className="memory-actions">
                  {memory.conversationId && (
                    <button type="button" className="link-button" onClick={() => onOpenConversation(memory.conversationId!)}>Source</button>
                  )}
                  <button type="button" onClick={() => setEditing({ id: memory.id, text: memory.content })} aria-label={`Edit memory: ${memory.content}`}>Edit</button>
                  <button type="button" className="danger" onClick={() => void remove(memory)} aria-label={`Delete memory: ${memory.content}`}>Delete</button>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
