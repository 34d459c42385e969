import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { repeatedDirectCallNotes } from '../../../shared/direct-call-notes';
import { directCallTurns } from '../../../shared/direct-call-requests';
import type { ContextUse, ResultCut } from '../../../shared/domain/context-use';
import { isAnswer, type Message } from '../../../shared/domain/message';
import { argumentsLine } from '../../../shared/tool-call-words';
import { formatElapsed, formatTime, formatTimeToSecond } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import type { RunningActivity, RunningTurn, StreamingText, TurnError } from './chat-store';
import { MarkdownText } from '../../lib/MarkdownText';
import { useTraceSpans } from '../traces/useTraceSpans';
import type { RevealTarget } from './reveal-target';
import { ReasoningDisclosure } from './ReasoningDisclosure';
import { ToolCallCard } from './ToolCallCard';
import { useRevealTarget } from './useRevealTarget';
import { directCallTraceName, requestsByReply, traceButtonName } from './trace-button-name';
import { useModelSettingsOpener } from '../settings/model-settings-opener';
import { stoppedByPortcullis, unfinishedTurnWords } from './unfinished-turn-words';
import { budgetAnswerWords } from '../../../shared/budget-answer-words';
import { turnErrorWords } from './turn-error-words';

export interface MessageListProps {
  messages: readonly Message[];
  streaming: StreamingText | undefined;
  running: RunningTurn | undefined;
  turnError: TurnError | undefined;
  /** True while one of this conversation's tool calls waits for the person. */
  awaitingApproval: boolean;
  /** The tool call running now, with its progress. */
  activity: RunningActivity | undefined;
  onOpenTrace: (traceId: string) => void;
  /** Set when the newest turn ended before an answer: its trace, and running it again. */
  unfinished: { traceId: string | null; cutShort: boolean; retry: () => void } | undefined;
  /** The pid of another Portcullis process on the data folder that runs this conversation's newest turn now. */
  runningElsewhere?: number | undefined;
  /** A message or tool card to scroll to and mark once drawn (a search hit in it). */
  reveal?: RevealTarget | null;
  /** The tool results the model's last request had cut to fit its context (the context meter's), each card saying how much. */
  cutResults?: ContextUse['cutResults'];
}

const ROLE_LABELS = { user: 'You', assistant: 'Portcullis', tool: 'Tool' } as const;

/**
 * Messages drawn at first, and added by each "Show earlier messages": a long agent session has thousands, and
 * drawing them all made opening it take 1.6 s (1,000 turns) and every streamed word of a new reply redraw them.
 */
const WINDOW = 150;

/** A call quiet for longer than this shows how long it has run, so a slow one is not mistaken for a stuck window. */
const SHOW_ELAPSED_AFTER_MS = 3_000;

/** The conversation so far, the reply being streamed, and how the turn is going. */
export function MessageList({ messages, streaming, running, turnError, awaitingApproval, activity, onOpenTrace, unfinished, runningElsewhere, reveal = null, cutResults }: MessageListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const [limit, setLimit] = useState(WINDOW);
  const hidden = Math.max(0, messages.length - limit);
  const drawn = useMemo(() => (hidden > 0 ? messages.slice(hidden) : messages), [messages, hidden]);
  const requests = useMemo(() => requestsByReply(messages), [messages]);
  const directCalls = useMemo(() => directCallTurns(messages), [messages]);
  const lastRequest = useMemo(() => messages.findLast((m) => m.role === 'user')?.content, [messages]);
  const cuts = useMemo(() => new Map(cutResults?.map(({ toolCallId, ...cut }) => [toolCallId, cut])), [cutResults]);
  // Stop (or Esc) is the person's own choice, not a fault: it is told calmly, not as an alert.
  const stoppedByYou = turnError?.code === 'TURN_STOPPED';
  const openModelSettings = useModelSettingsOpener();
  // Why a turn ended without an answer, once the live error is gone (a reload, a restart): its trace's root says.
  const unfinishedTrace = useTraceSpans(!turnError && unfinished ? unfinished.traceId : null, false);
  const interrupted = unfinished !== undefined && stoppedByPortcullis(messages.at(-1), unfinishedTrace.spans);

  // Follow the conversation while the person is at the bottom; leave them alone when they scrolled up.
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const onScroll = () => {
      pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
    };
    element.addEventListener('scroll', onScroll, { passive: true });
    // Made shorter with nothing drawn anew (the window resized, the approvals below grew): still at its newest end,
    // so the request that waits stays in sight above its approval.
    const resized = new ResizeObserver(() => {
      if (pinned.current) element.scrollTop = element.scrollHeight;
    });
    resized.observe(element);
    return () => {
      element.removeEventListener('scroll', onScroll);
      resized.disconnect();
    };
  }, []);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  });
  // After the follow above: what a search opened the conversation at is shown where it is, not the newest end.
  const found = useRevealTarget({ target: reveal, messages, limit, setLimit, scroller, pinned });
  // A caller's calls of a day: "no model took part" is said under the first, not under each.
  const repeatedNotes = useMemo(() => repeatedDirectCallNotes(drawn, directCalls), [drawn, directCalls]);

  return (
    <div className="message-list" ref={scroller} role="log" aria-label="Messages" tabIndex={0}>
      {hidden > 0 && (
        <button type="button" className="link-button show-earlier" onClick={() => setLimit((n) => n + WINDOW)}>
          Show {Math.min(WINDOW, hidden)} earlier messages ({hidden} not shown)
        </button>
      )}
      {drawn.map((message) =>
        // A direct call's "Calling fs.read" is said by its request's line: no model of Portcullis asked for it.
        directCalls.relayed.has(message.id) || (repeatedNotes.has(message.id) && found !== message.id) ? null : (
          <MessageItem
            key={message.id}
            message={message}
            calledTools={directCalls.requests.get(message.id)?.toolNames.join(', ')}
            directCallNote={directCalls.notes.has(message.id)}
            directCallCard={message.role === 'tool' && directCalls.turns.has(message.turnId)}
            // Only the running turn's replies, before their trace id is stored, take the turn's. A direct call's Trace
            // is on its request's line (stored with it): there for each call, while it waits or runs too.
            traceId={
              directCalls.requests.has(message.id)
                ? (message.traceId ?? null)
                : message.role === 'assistant' && !directCalls.notes.has(message.id)
                  ? (message.traceId ?? (message.turnId === running?.turnId ? running.traceId : null))
                  : undefined
            }
            request={requests.get(message.id)}
            found={found === message.id}
            cut={message.toolCall ? cuts.get(message.toolCall.id) : undefined}
            onOpenTrace={onOpenTrace}
          />
        ),
      )}
      {streaming && (
        <article
          className="message message-assistant streaming"
          data-testid="message"
          data-role="assistant"
          data-streaming="true"
          aria-busy="true"
        >
          <MessageHeader role="assistant" traceId={running?.traceId ?? null} request={lastRequest} onOpenTrace={onOpenTrace} />
          {streaming.thinkingSince !== undefined && !streaming.text ? (
            <ThinkingNow since={streaming.thinkingSince} />
          ) : (
            <div className="message-body">
              <MarkdownText text={streaming.text} />
            </div>
          )}
        </article>
      )}
      {running && !streaming && (
        <div className="turn-status" role="status" data-testid="turn-status">
          {awaitingApproval ? 'Waiting for your approval below…' : activity ? <RunningCall activity={activity} /> : <WaitingForModel />}
        </div>
      )}
      {!running && !turnError && runningElsewhere !== undefined && (
        <div className="turn-error turn-stopped" role="status" data-testid="turn-elsewhere">
          <p>
            A turn is running in this conversation in another Portcullis (pid {runningElsewhere}). What it does shows here when it ends; answer its
            approvals there.
          </p>
        </div>
      )}
      {!running && (turnError || unfinished) && (
        <div className={`turn-error${stoppedByYou ? ' turn-stopped' : ''}`} role={turnError && !stoppedByYou ? 'alert' : 'status'} data-testid="turn-error">
          <p>
            {stoppedByYou
              ? 'You stopped this turn.'
              : turnError
                ? turnErrorWords(turnError.message)
                : unfinishedTurnWords({ cutShort: unfinished?.cutShort === true, interrupted })}
          </p>
          {unfinished?.traceId && (
            <button type="button" className="link-button" onClick={() => onOpenTrace(unfinished.traceId!)}>
              Trace
            </button>
          )}
          {unfinished && (
            <button type="button" onClick={unfinished.retry}>
              Retry
            </button>
          )}
          {/* Its words end "check … in Settings → Model": one press away, not a hunt for the Model card. */}
          {openModelSettings && (turnError?.code === 'MODEL_UNAVAILABLE' || turnError?.code === 'MODEL_CONTEXT_EXCEEDED') && (
            <button type="button" onClick={openModelSettings}>
              Model settings
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * A call in flight: its name, how long it has run (after the first seconds), and, when its server reports it, how
 * far it has come and what it is doing.
 */
/**
 * Nothing streams and no tool runs: the turn waits on the model, which may take long before its first word (a local
 * server loading it, or reading a long prompt on a laptop's CPU). Said as that, with the wait once it is long, where
 * "Working…" alone left a hung server indistinguishable from progress.
 */
function WaitingForModel() {
  const [since] = useState(() => Date.now());
  const elapsed = useNow(1000) - since;
  return (
    <>
      Waiting for the model…
      {elapsed >= SHOW_ELAPSED_AFTER_MS && (
        <span className="tool-elapsed" data-testid="model-elapsed" aria-hidden="true">
          {' '}
          {formatElapsed(elapsed)}
        </span>
      )}
    </>
  );
}

/** A reasoning model thinking before its answer: said, with how long once it is long, in the place the answer will take. */
function ThinkingNow({ since }: { since: number }) {
  const elapsed = useNow(1000) - since;
  return (
    <p className="message-body muted" data-testid="thinking-now">
      Thinking…
      {elapsed >= SHOW_ELAPSED_AFTER_MS && <span aria-hidden="true"> {formatElapsed(elapsed)}</span>}
    </p>
  );
}

function RunningCall({ activity: { toolName, progress, since } }: { activity: RunningActivity }) {
  const known = progress?.total !== undefined && progress.total > 0;
  const elapsed = useNow(1000) - since;
  return (
    <>
      Running <code>{toolName}</code>…
      {elapsed >= SHOW_ELAPSED_AFTER_MS && (
        // Hidden from screen readers: this is a live region, and a count read out every second would drown it.
        <span className="tool-elapsed" data-testid="tool-elapsed" aria-hidden="true">
          {' '}
          {formatElapsed(elapsed)}
        </span>
      )}
      {progress && (
        <span className="tool-progress" data-testid="tool-progress">
          {' '}
          {known ? (
            <progress max={progress.total} value={Math.min(progress.progress, progress.total!)} aria-label={`${toolName} progress`} />
          ) : null}{' '}
          {known ? `${progress.progress} of ${progress.total}` : `${progress.progress} so far`}
          {progress.message && <span className="muted"> · {progress.message}</span>}
        </span>
      )}
    </>
  );
}

/** One message; drawn again only when it or its trace id changed, not at each event of the turn in progress. */
const MessageItem = memo(function MessageItem({
  message,
  calledTools,
  directCallNote,
  directCallCard,
  traceId,
  request,
  found,
  cut,
  onOpenTrace,
}: {
  message: Message;
  /** Set on a direct call's request (a script's, an MCP client's, the terminal's): the tools it called, '' before its call is stored. */
  calledTools: string | undefined;
  /** What Portcullis says after a direct call, in the place of a model's answer: a note under its card, with no header. */
  directCallNote: boolean;
  /** A direct call's tool message: its card, right under the request's line that says who called it and when. */
  directCallCard: boolean;
  /** An assistant message's trace, or a direct call request's (null until known); undefined for the others. */
  traceId: string | null | undefined;
  /** An assistant message's request: the person's message it answers. */
  request: string | undefined;
  /** The message (or the tool message whose card) a search hit opened the conversation at. */
  found: boolean;
  /** A tool message's result, cut to fit the model's context in its last request. */
  cut: ResultCut | undefined;
  onOpenTrace: (traceId: string) => void;
}) {
  const pending = message.id.startsWith('local:');
  // A tool message is shown by its card; any other message found is marked itself and takes the keyboard.
  const foundHere = found && !(message.role === 'tool' && message.toolCall);
  const directCall = calledTools !== undefined;
  return (
    <article
      className={`message message-${message.role}${directCall ? ' message-direct-call' : ''}${directCallNote ? ' direct-call-note' : ''}${foundHere ? ' message-found' : ''}`}
      data-testid="message"
      data-role={message.role}
      data-direct-call={directCall || undefined}
      data-answer={isAnswer(message) || undefined}
      data-message-id={pending ? undefined : message.id}
      data-found={foundHere || undefined}
      tabIndex={foundHere ? -1 : undefined}
      aria-busy={pending || undefined}
    >
      {!directCallNote && !directCallCard && <MessageHeader role={message.role} reply={message} calledTools={calledTools} traceId={traceId} request={request} onOpenTrace={onOpenTrace} />}
      {message.role === 'tool' && message.toolCall ? (
        <ToolCallCard call={message.toolCall} found={found} cut={cut} />
      ) : directCall ? (
        // The request as it was made, a command rather than words of the person's.
        <div className="message-body direct-call-request">
          <code>{message.content}</code>
        </div>
      ) : (
        <>
          {message.role === 'assistant' && message.reasoning && <ReasoningDisclosure reasoning={message.reasoning} />}
          {/* The model's replies are Markdown; what the person typed stays as typed. */}
          {message.content.trim() && <div className="message-body">{message.role === 'assistant' ? <MarkdownText text={message.content} /> : message.content}</div>}
          {message.answeredAtBudget && (
            <p className="message-body muted" data-testid="answered-at-budget">
              {budgetAnswerWords(message.answeredAtBudget)}
            </p>
          )}
          {message.cutShort && (
            <p className="message-body muted" data-testid="cut-short">
              Cut short here: the turn ended before the model finished.
            </p>
          )}
          {/* A model may end its reply without a word (a local one often does): said, not drawn as a blank answer. */}
          {isAnswer(message) && !message.content.trim() && (
            <p className="message-body muted" data-testid="empty-answer">
              {message.reasoning ? 'The model thought but gave no answer.' : 'The model ended its reply without any text.'}
            </p>
          )}
          {message.role === 'assistant' && !message.content.trim() && message.toolCalls && message.toolCalls.length > 0 && (
            <p className="message-body muted">
              Calling{' '}
              {message.toolCalls.map((call) => `${call.name}${argumentsLine(call.arguments) ? ` (${argumentsLine(call.arguments)})` : ''}`).join(', ')}
            </p>
          )}
        </>
      )}
    </article>
  );
});

function MessageHeader({
  role,
  reply,
  calledTools,
  traceId,
  request,
  onOpenTrace,
}: {
  role: Message['role'];
  /** The message, once stored (a reply still streaming has none yet). */
  reply?: Message;
  /** A direct call's request: the tools it called. */
  calledTools?: string | undefined;
  /** undefined: no trace button (not an assistant message); null: the trace is not known yet. */
  traceId: string | null | undefined;
  request: string | undefined;
  onOpenTrace: (traceId: string) => void;
}) {
  return (
    <header className="message-header">
      {/* A request the person did not type (a script's, an MCP client's, the terminal's) names who made it. */}
      <span className="message-role">{reply?.author ?? ROLE_LABELS[role]}</span>
      {/* A message someone else sent to start the agent's turn (the terminal, a script): its approvals are its sender's. */}
      {role === 'user' && reply?.author !== undefined && calledTools === undefined && (
        <span className="message-sender" data-testid="message-sender">
          sent this message, not you
        </span>
      )}
      {calledTools && (
        <span className="direct-call-tools">
          called <code>{calledTools}</code>
        </span>
      )}
      {/* A direct call's to the second: a script makes many a minute. */}
      {reply !== undefined && <span className="message-time">{calledTools === undefined ? formatTime(reply.createdAt) : formatTimeToSecond(reply.createdAt)}</span>}
      {traceId !== undefined && (
        <button
          type="button"
          className="link-button"
          data-testid="open-trace"
          disabled={traceId === null}
          onClick={() => traceId && onOpenTrace(traceId)}
          // Every reply has one: its name says which (a screen reader's list of buttons shows them out of context).
          aria-label={calledTools !== undefined && reply ? directCallTraceName(reply) : traceButtonName(reply, request)}
        >
          Trace
        </button>
      )}
    </header>
  );
}
