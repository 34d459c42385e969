import { useCallback, useEffect, useState } from 'react';
import type { Conversation } from '../../../shared/domain/conversation';
import { useApi, useAppEvent, useConnection } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';

export interface Conversations {
  list: readonly Conversation[];
  /** True once the list has been loaded at least once. */
  loaded: boolean;
  error: string | null;
  create: (options?: { title?: string; private?: boolean }) => Promise<Conversation>;
  rename: (conversationId: string, title: string) => Promise<void>;
  /** Deletes the conversation with its messages, tool calls and traces; rejects while a turn runs there. */
  remove: (conversationId: string) => Promise<void>;
  /** What the last deletion had to add (its text could not yet be emptied out of a WAL file), until the next one. */
  deletionNote: string | null;
}

/**
 * Another part of this window removed conversations wholesale (retention's Purge now, Delete everything): the list
 * is read again. The host sends no event for that, and the sidebar would go on listing the conversations it cut.
 */
const CONVERSATIONS_CHANGED = 'portcullis:conversations-changed';
export function conversationsChanged(): void {
  window.dispatchEvent(new Event(CONVERSATIONS_CHANGED));
}

/** The host's title for a chat nothing has been said in yet (conversations.create without one). */
const UNTITLED = 'New chat';

function newestFirst(list: readonly Conversation[]): Conversation[] {
  return [...list].sort((a, b) => b.updatedAt - a.updatedAt);
}

/** The conversation list, refreshed on (re)connect, when a turn ends (titles and order may change) and when a call of one not listed asks. */
export function useConversations(): Conversations {
  const api = useApi();
  const { epoch } = useConnection();
  const [list, setList] = useState<readonly Conversation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [deletionNote, setDeletionNote] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    let live = true;
    api.invoke('conversations.list', {}).then(
      (conversations) => {
        if (!live) return;
        setList(newestFirst(conversations));
        setLoaded(true);
        setError(null);
      },
      (err: unknown) => {
        if (live) setError(`Could not load your conversations. ${describeError(err)}`);
      },
    );
    return () => {
      live = false;
    };
  }, [api, epoch, refresh]);

  // A new chat is titled by its first message as the turn starts: read again then, or a turn waiting for an
  // approval would keep it "New chat" (beside any other "New chat") for as long as the person takes.
  useAppEvent('chat.turnStarted', (turn) => {
    if (list.find((c) => c.id === turn.conversationId)?.title === UNTITLED) setRefresh((n) => n + 1);
  });
  useAppEvent('chat.turnEnded', () => setRefresh((n) => n + 1));
  // A call a script or an MCP client made (tools.call, /mcp) opens a conversation of its own, outside this page:
  // its approval names that conversation, so it is listed before the person is asked.
  useAppEvent('approval.requested', (request) => {
    if (!list.some((c) => c.id === request.conversationId)) setRefresh((n) => n + 1);
  });
  useEffect(() => {
    const reload = () => setRefresh((n) => n + 1);
    window.addEventListener(CONVERSATIONS_CHANGED, reload);
    return () => window.removeEventListener(CONVERSATIONS_CHANGED, reload);
  }, []);

  const create = useCallback(
    async (options: { title?: string; private?: boolean } = {}) => {
      const conversation = await api.invoke('conversations.create', options);
      setList((current) => [conversation, ...current.filter((c) => c.id !== conversation.id)]);
      return conversation;
    },
    [api],
  );

  const rename = useCallback(
    async (conversationId: string, title: string) => {
      const renamed = await api.invoke('conversations.rename', { conversationId, title });
      setList((current) => current.map((c) => (c.id === renamed.id ? renamed : c)));
    },
    [api],
  );

  const remove = useCallback(
    async (conversationId: string) => {
      const deleted = await api.invoke('conversations.delete', { conversationId });
      setDeletionNote(deleted.note ?? null);
      setList((current) => current.filter((c) => c.id !== conversationId));
    },
    [api],
  );

  return { list, loaded, error, create, rename, remove, deletionNote };
}
