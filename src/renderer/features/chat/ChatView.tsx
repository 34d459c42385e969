import { useEffect, useRef, useState, type Dispatch, type ReactNode, type RefObject } from 'react';
import { isAnswer, type Message } from '../../../shared/domain/message';
import { useApi, useAppEvent, useConnection } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import type { AppInfo } from '../app-info/useAppInfo';
import { LOCAL_ID_PREFIX, shownRunningTurn, type ChatAction, type ChatState, type RunningTurn } from './chat-store';
import { Composer } from './Composer';
import { originFields, type ServerWordsOrigin } from './offerings';
import { ContextMeter } from './ContextMeter';
import { directCallAuthor } from './busy-composer-words';
import { EmptyState } from './EmptyState';
import { MessageList } from './MessageList';
import type { RevealTarget } from './reveal-target';
import { useContextUse } from './useContextUse';
import { useTurnElsewhere } from './useTurnElsewhere';

export interface ChatViewProps {
  conversationId: string | null;
  /** The selected conversation's id, creating (and selecting) one first if none is selected. */
  ensureConversation: (titleHint: string) => Promise<string>;
  chat: ChatState;
  dispatch: Dispatch<ChatAction>;
  info: AppInfo | null;
  /** The approval dialogs, docked between the messages and the composer. */
  approvals: ReactNode;
  awaitingApproval: boolean;
  onOpenTrace: (traceId: string) => void;
  composerRef: RefObject<HTMLTextAreaElement | null>;
  /** Text put in the message box from elsewhere (a tool's "Use in chat"); a new object each time. */
  draft?: { text: string } | null;
  /** A message or tool card to scroll to and mark once the conversation is drawn (a search hit in it). */
  reveal?: RevealTarget | null;
  /** The conversation is private (kept in memory only): its first screen says so. */
  isPrivate?: boolean;
}

const NO_MESSAGES: readonly Message[] = [];
const NO_TURNS: readonly RunningTurn[] = [];
/** A turn under way that this page did not start: its ids are not known here. */
const UNDERWAY = { turnId: null, traceId: null } as const;

/** The center of the window: the conversation, its pending approvals, and the message box. */
export function ChatView(props: ChatViewProps) {
  const { conversationId, ensureConversation, chat, dispatch, info, approvals, awaitingApproval, onOpenTrace } = props;
  const api = useApi();
  const { epoch } = useConnection();
  const [error, setError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const localIds = useRef(0);
  const contextUse = useContextUse(conversationId);
  // Asked for the messages again: a turn that another Portcullis process ran here has ended.
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    setError(null);
    setLoadError(null);
    if (!conversationId) return;
    let live = true;
    api.invoke('messages.list', { conversationId }).then(
      (messages) => {
        if (live) dispatch({ type: 'loaded', conversationId, messages });
      },
      (err: unknown) => {
        if (live) setLoadError(`Could not load this conversation. ${describeError(err)}`);
      },
    );
    // A turn under way since before this page loaded (a reload, a second window) is shown running, with Stop: its
    // start was never seen here. A host too old to say leaves it as before.
    api.invoke('chat.running', { conversationId }).then(
      ({ turn }) => {
        if (live && turn) dispatch({ type: 'runningFound', conversationId, ...turn });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, conversationId, dispatch, epoch, reloads]);

  const messages = (conversationId && chat.messages[conversationId]) || NO_MESSAGES;
  const running = conversationId ? shownRunningTurn(chat, conversationId) : undefined;
  // This page's message on its way: the host has not said its turn's id yet.
  const runningTurns = (conversationId && chat.running[conversationId]) || NO_TURNS;
  const sending = runningTurns.some((turn) => turn.turnId === null);
  // A chat turn and a script's or an MCP client's call at once: the message box speaks of them all.
  const alongside = runningTurns.filter((turn) => turn !== running).map((turn) => directCallAuthor(messages, turn.turnId));
  const streaming = conversationId ? chat.streaming[conversationId] : undefined;
  const turnError = conversationId ? chat.turnErrors[conversationId] : undefined;
  const loaded = conversationId ? chat.loaded[conversationId] === true : true;
  const busy = running !== undefined || creating;
  // A call this page did not start is under way here (a script's or an MCP client's, or a turn from before the page
  // loaded): it waits for an approval or runs. Its turn has not ended, whatever its messages so far look like.
  const activity = conversationId ? chat.activity[conversationId] : undefined;
  const underway = running === undefined && (awaitingApproval || activity !== undefined);

  // Such a call sends no messages as it goes, as a turn does: when it ends, what it recorded is read again (opened
  // while it waited, the conversation stayed at its request, as if it had never run). It is shown running too (its
  // chat.turnStarted), so a turn this page sent is told from it by its id.
  const sentTurns = useRef(new Set<string>());
  useAppEvent('chat.turnEnded', ({ conversationId: id, turnId }) => {
    const sentHere = sentTurns.current.delete(turnId);
    if (id === conversationId && !sentHere) setReloads((n) => n + 1);
  });
  // Nor its request as it begins: read then, so the request that waits (an MCP client's next call in its session's
  // conversation, open here) shows above its approval. Not for a message this page is sending (its id not known yet).
  useAppEvent('chat.turnStarted', ({ conversationId: id, turnId }) => {
    if (id === conversationId && !sending && !sentTurns.current.has(turnId)) setReloads((n) => n + 1);
  });

  const send = async (text: string, origins: readonly ServerWordsOrigin[] = []): Promise<boolean> => {
    setError(null);
    let id: string;
    try {
      setCreating(true);
      id = await ensureConversation(text);
    } catch (err) {
      setError(`Could not start a new conversation. ${describeError(err)}`);
      return false;
    } finally {
      setCreating(false);
    }
    const localId = `${LOCAL_ID_PREFIX}${++localIds.current}`;
    dispatch({
      type: 'sendStarted',
      message: { id: localId, conversationId: id, turnId: '', role: 'user', content: text, traceId: null, createdAt: Date.now() },
    });
    try {
      const result = await api.invoke('chat.send', { conversationId: id, text, ...originFields(origins) });
      sentTurns.current.add(result.turnId);
      dispatch({ type: 'sendAccepted', conversationId: id, localId, ...result });
      return true;
    } catch (err) {
      dispatch({ type: 'sendFailed', conversationId: id, localId });
      setError(`Your message was not sent. ${describeError(err)}`);
      return false;
    }
  };

  const retry = async (id: string): Promise<void> => {
    setError(null);
    dispatch({ type: 'retryStarted', conversationId: id });
    try {
      const { turnId, traceId } = await api.invoke('chat.retry', { conversationId: id });
      sentTurns.current.add(turnId);
      dispatch({ type: 'retryAccepted', conversationId: id, turnId, traceId });
    } catch (err) {
      dispatch({ type: 'retryFailed', conversationId: id });
      setError(`The turn was not retried. ${describeError(err)}`);
    }
  };

  const showEmpty = loaded && messages.length === 0 && !streaming && !running;
  // The newest turn ended before the model answered (an error, Stop, a budget, a restart): it can be run again.
  const last = messages.at(-1);
  const unfinished = loaded && !busy && !underway && last !== undefined && !last.id.startsWith(LOCAL_ID_PREFIX) && !isAnswer(last);
  // Unless it has not ended: another Portcullis process on the data folder is running it (no events come from there).
  const elsewhere = useTurnElsewhere(conversationId, unfinished ? last.id : null, () => setReloads((n) => n + 1));

  return (
    <div className="chat">
      {loadError && (
        <p className="load-error" role="alert">
          {loadError}
        </p>
      )}
      {showEmpty ? (
        <div className="chat-scroll">
          <EmptyState
            info={info}
            disabled={busy}
            isPrivate={props.isPrivate ?? false}
            // The example pressed goes with the first screen: the keyboard goes on to the message box, as after Send.
            onExample={(text) => {
              props.composerRef.current?.focus();
              void send(text);
            }}
          />
        </div>
      ) : (
        <MessageList
          key={conversationId ?? ''} // each conversation opens at its latest messages, followed as they come
          messages={messages}
          streaming={streaming}
          running={running ?? (underway ? UNDERWAY : undefined)}
          activity={activity}
          turnError={turnError}
          unfinished={
            conversationId && unfinished && elsewhere.state === 'none' ? { traceId: last.traceId, cutShort: last.cutShort === true, retry: () => void retry(conversationId) } : undefined
          }
          runningElsewhere={elsewhere.state === 'running' ? elsewhere.pid : undefined}
          awaitingApproval={awaitingApproval}
          onOpenTrace={onOpenTrace}
          reveal={props.reveal ?? null}
          cutResults={contextUse?.cutResults}
        />
      )}
      {approvals}
      {!showEmpty && <ContextMeter use={contextUse} />}
      <Composer
        busy={busy}
        onSend={send}
        onStop={conversationId && running !== undefined ? () => void api.invoke('chat.stop', { conversationId }) : undefined}
        error={error}
        inputRef={props.composerRef}
        draft={props.draft ?? null}
        busyWith={directCallAuthor(messages, running?.turnId)}
        busyAlongside={alongside}
      />
    </div>
  );
}
