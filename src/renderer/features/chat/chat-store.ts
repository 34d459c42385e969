import type { AppEvent } from '../../../shared/api/contract';
import type { Message } from '../../../shared/domain/message';
import type { ToolActivity } from '../../../shared/domain/tool-call';

/** A turn in progress. `turnId` is null between pressing Send and the host accepting the message. */
export interface RunningTurn {
  turnId: string | null;
  traceId: string | null;
}

export interface TurnError {
  turnId: string;
  code: string;
  message: string;
}

/** A tool call running now, with its last progress, and when this window first heard that it runs. */
export interface RunningActivity extends ToolActivity {
  since: number;
}

export interface StreamingText {
  turnId: string;
  text: string;
  /** When a reasoning model began to think, while it has not yet said a word of its answer. */
  thinkingSince?: number;
  /** When the text shown came first: should a lone </think> recall it, the model was thinking since then. */
  textSince?: number;
}

/** Chat state for every conversation seen so far, so switching conversations never loses a live turn. */
export interface ChatState {
  messages: Readonly<Record<string, readonly Message[]>>;
  loaded: Readonly<Record<string, boolean>>;
  streaming: Readonly<Record<string, StreamingText>>;
  /**
   * The turns running in each conversation, oldest first; no key when none runs. A chat turn and a script's or an MCP
   * client's direct call can run in one conversation at once, and each ends on its own.
   */
  running: Readonly<Record<string, readonly RunningTurn[]>>;
  turnErrors: Readonly<Record<string, TurnError>>;
  /** The tool call running now in each conversation, with its last progress, until its result arrives. */
  activity: Readonly<Record<string, RunningActivity>>;
  /** Turns that ended, so a late `chat.send` answer does not mark its turn as running again. */
  endedTurns: readonly string[];
}

export type ChatAction =
  | { type: 'loaded'; conversationId: string; messages: readonly Message[] }
  /** `receivedAt`: when the event came, so a call's running time is counted from its start, not from a redraw. */
  | { type: 'event'; event: AppEvent; receivedAt: number }
  | { type: 'sendStarted'; message: Message }
  | {
      type: 'sendAccepted';
      conversationId: string;
      localId: string;
      turnId: string;
      traceId: string;
      userMessageId: string;
    }
  | { type: 'sendFailed'; conversationId: string; localId: string }
  | { type: 'retryStarted'; conversationId: string }
  | { type: 'retryAccepted'; conversationId: string; turnId: string; traceId: string }
  | { type: 'retryFailed'; conversationId: string }
  /** The host runs a turn in the conversation that this page did not start (it was loaded while the turn ran). */
  | { type: 'runningFound'; conversationId: string; turnId: string; traceId: string }
  | { type: 'reconnected' };

export const initialChatState: ChatState = {
  messages: {},
  loaded: {},
  streaming: {},
  running: {},
  turnErrors: {},
  activity: {},
  endedTurns: [],
};

export const LOCAL_ID_PREFIX = 'local:';

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}

/** The running turn the page shows for a conversation: the one streaming its reply, else the newest. */
export function shownRunningTurn(state: ChatState, id: string): RunningTurn | undefined {
  const turns = state.running[id];
  if (!turns) return undefined;
  const streamingTurn = state.streaming[id]?.turnId;
  return turns.find((turn) => turn.turnId !== null && turn.turnId === streamingTurn) ?? turns[turns.length - 1];
}

/** The conversation's running turns set to `turns`, dropping its key when none is left. */
function withTurns(state: ChatState, id: string, turns: readonly RunningTurn[]): ChatState['running'] {
  return turns.length > 0 ? { ...state.running, [id]: turns } : without(state.running, id);
}

/** The turn added to the conversation's running ones, or its trace id filled in when it is there already. */
function withTurn(state: ChatState, id: string, turn: RunningTurn): ChatState['running'] {
  const turns = state.running[id] ?? [];
  const known = turns.find((t) => t.turnId === turn.turnId);
  if (!known) return withTurns(state, id, [...turns, turn]);
  return withTurns(state, id, turns.map((t) => (t === known ? { turnId: t.turnId, traceId: turn.traceId ?? t.traceId } : t)));
}

function upsert(list: readonly Message[], message: Message): Message[] {
  const index = list.findIndex((m) => m.id === message.id);
  if (index >= 0) return list.map((m, i) => (i === index ? message : m));
  if (message.role === 'user') {
    // The host's copy of a message this window sent replaces the optimistic one in place.
    const local = list.findIndex((m) => m.id.startsWith(LOCAL_ID_PREFIX) && m.content === message.content);
    if (local >= 0) return list.map((m, i) => (i === local ? message : m));
  }
  return [...list, message];
}

function onEvent(state: ChatState, event: AppEvent, receivedAt: number): ChatState {
  switch (event.channel) {
    case 'chat.delta': {
      const { conversationId, turnId, text, thinking, recalled } = event.payload;
      if (state.endedTurns.includes(turnId)) return state;
      const current = state.streaming[conversationId]?.turnId === turnId ? state.streaming[conversationId] : undefined;
      // Recalled: what streamed so far was the model's thinking, not its answer; it began thinking when that began,
      // so "Thinking… N s" goes on from there to the "Thought for N s" it ends on, not from 0.
      const next = (recalled ? '' : (current?.text ?? '')) + text;
      const thinkingSince = thinking ? (recalled ? (current?.textSince ?? receivedAt) : receivedAt) : current?.thinkingSince;
      const textSince = next ? (current?.text ? current.textSince : receivedAt) : undefined;
      return {
        ...state,
        streaming: {
          ...state.streaming,
          [conversationId]: { turnId, text: next, ...(thinkingSince !== undefined && !next ? { thinkingSince } : {}), ...(textSince !== undefined ? { textSince } : {}) },
        },
        running: withTurn(state, conversationId, { turnId, traceId: null }),
      };
    }
    case 'chat.message': {
      const message = event.payload;
      const id = message.conversationId;
      const messages = { ...state.messages, [id]: upsert(state.messages[id] ?? [], message) };
      const streaming =
        message.role === 'assistant' && state.streaming[id]?.turnId === message.turnId
          ? without(state.streaming, id)
          : state.streaming;
      // A tool's result has come: the call shown as running is done.
      const activity = message.role === 'tool' ? without(state.activity, id) : state.activity;
      return { ...state, messages, streaming, activity };
    }
    case 'tool.activity': {
      const { conversationId: id, turnId } = event.payload;
      if (state.endedTurns.includes(turnId)) return state;
      // Progress of the same call keeps the time it started.
      const previous = state.activity[id];
      const since = previous?.callId === event.payload.callId ? previous.since : receivedAt;
      return { ...state, activity: { ...state.activity, [id]: { ...event.payload, since } } };
    }
    case 'chat.turnStarted': {
      // A turn this page did not ask for, too (another page's, a script's, a direct call of an MCP client's): it
      // runs, with Stop, until it ends; what an earlier turn left unsaid is no longer the conversation's news.
      const { conversationId: id, turnId, traceId } = event.payload;
      if (state.endedTurns.includes(turnId)) return state;
      return { ...state, running: withTurn(state, id, { turnId, traceId }), turnErrors: without(state.turnErrors, id) };
    }
    case 'chat.turnEnded': {
      const { conversationId: id, turnId, error } = event.payload;
      // Only this turn: another one running in the conversation (a direct call beside a chat turn) keeps its dot and Stop.
      return {
        ...state,
        running: withTurns(state, id, (state.running[id] ?? []).filter((turn) => turn.turnId !== turnId)),
        streaming: state.streaming[id]?.turnId === turnId ? without(state.streaming, id) : state.streaming,
        activity: state.activity[id]?.turnId === turnId ? without(state.activity, id) : state.activity,
        turnErrors: error
          ? { ...state.turnErrors, [id]: { turnId, code: error.code, message: error.message } }
          : without(state.turnErrors, id),
        endedTurns: [...state.endedTurns.slice(-199), turnId],
      };
    }
    default:
      return state;
  }
}

/** A turn asked for (a message sent, a retry): running, its id not known yet, and the last error forgotten. */
function starting(state: ChatState, id: string): ChatState {
  return { ...state, running: withTurn(state, id, { turnId: null, traceId: null }), turnErrors: without(state.turnErrors, id) };
}

/** The host took the turn this page asked for; it may already have ended, its events having come first. */
function accepted(state: ChatState, id: string, turnId: string, traceId: string): ChatState {
  // Its place is the one its sending took (its start may have been heard meanwhile, as a turn of its own).
  const turns = state.running[id] ?? [];
  const others = turns.filter((turn) => turn.turnId !== turnId);
  const place = others.findIndex((turn) => turn.turnId === null);
  const kept = state.endedTurns.includes(turnId) ? [] : [{ turnId, traceId }];
  if (place < 0) return { ...state, running: withTurns(state, id, [...others, ...kept]) };
  return { ...state, running: withTurns(state, id, [...others.slice(0, place), ...kept, ...others.slice(place + 1)]) };
}

/** A turn the host runs that this page did not see start; it may already have ended. */
function found(state: ChatState, id: string, turnId: string, traceId: string): ChatState {
  return state.endedTurns.includes(turnId) ? state : { ...state, running: withTurn(state, id, { turnId, traceId }) };
}

/** The host refused the turn this page asked for: it does not run (others may). */
function notStarted(state: ChatState, id: string): ChatState {
  return { ...state, running: withTurns(state, id, (state.running[id] ?? []).filter((turn) => turn.turnId !== null)) };
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'loaded': {
      const fromHost = new Set(action.messages.map((m) => m.id));
      const extra = (state.messages[action.conversationId] ?? []).filter((m) => !fromHost.has(m.id));
      return {
        ...state,
        messages: { ...state.messages, [action.conversationId]: [...action.messages, ...extra] },
        loaded: { ...state.loaded, [action.conversationId]: true },
      };
    }
    case 'event':
      return onEvent(state, action.event, action.receivedAt);
    case 'sendStarted': {
      const id = action.message.conversationId;
      return { ...starting(state, id), messages: { ...state.messages, [id]: [...(state.messages[id] ?? []), action.message] } };
    }
    case 'retryStarted':
      return starting(state, action.conversationId);
    case 'retryAccepted':
      return accepted(state, action.conversationId, action.turnId, action.traceId);
    case 'retryFailed':
      return notStarted(state, action.conversationId);
    case 'runningFound':
      return found(state, action.conversationId, action.turnId, action.traceId);
    case 'sendAccepted': {
      const id = action.conversationId;
      const list = state.messages[id] ?? [];
      const hostHasIt = list.some((m) => m.id === action.userMessageId);
      const messages = hostHasIt
        ? list.filter((m) => m.id !== action.localId)
        : list.map((m) =>
            m.id === action.localId
              ? { ...m, id: action.userMessageId, turnId: action.turnId, traceId: action.traceId }
              : m,
          );
      return { ...accepted(state, id, action.turnId, action.traceId), messages: { ...state.messages, [id]: messages } };
    }
    case 'sendFailed': {
      const id = action.conversationId;
      return { ...notStarted(state, id), messages: { ...state.messages, [id]: (state.messages[id] ?? []).filter((m) => m.id !== action.localId) } };
    }
    case 'reconnected':
      // Events were missed while the link was down: what is running is unknown, so let the person act.
      return { ...state, running: {}, streaming: {}, activity: {}, loaded: {} };
    default:
      return state;
  }
}
