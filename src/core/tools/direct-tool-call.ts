import type { ToolCallRecord, ToolProgress } from '../../shared/domain/tool-call';
import { NotFoundError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { ConversationStore } from '../storage/stores/conversation-store';
import type { MessageStore } from '../storage/stores/message-store';
import type { SpanAttributes } from '../telemetry/recorded-span';
import type { Tracer } from '../telemetry/tracer';
import type { ToolGateway } from './tool-gateway';

/** What the conversation of a direct call says in the place of a model's answer. */
export const DIRECT_CALL_NOTE = 'Called from the terminal (portcullis tools call): no model took part; the card above shows the outcome.';

/** Who made a direct call from the terminal, as its request's header says (the person did not type it in the chat). */
export const TERMINAL_AUTHOR = 'Terminal';

/**
 * Who asked for a direct call other than the terminal (a script through the local API, an MCP client), in the
 * words its conversation shows: the approval dialog names that conversation, so the person knows who asks.
 */
export interface DirectCaller {
  /** The title of a conversation it makes, e.g. "my-script · API key · 25 Nov", "Cursor · 09:04 (MCP, key "cursor")". */
  title: string;
  /** What stands as the person's message: the request as it was made. */
  request: string;
  /** Who made the request, as its message's header says in the place of "You": "Local API (key "backup")", "Cursor (MCP)". */
  author: string;
  /** Who calls, its own name first ("backup · API key"): the title of its conversation of a day. Default: `author`. */
  callerName?: string;
  /**
   * Who calls, as its calls of a day are kept together (a key's id, an MCP client's name with its key's; never the
   * credential itself): given, the call goes to the caller's conversation of the day (caller-conversations.ts).
   */
  callerKey?: string;
  /** What stands as the answer, in the place of a model's. */
  note: string;
  /**
   * What the trace says of who called (the credential, an MCP client and its session), on the call's root span: a
   * trace exported to a collector names the caller as the page's conversation does.
   */
  attributes?: SpanAttributes;
  /**
   * The conversation to record it in, while it exists: an MCP session's calls share one, and a script's of a day
   * (caller-conversations.ts), so that the taint one of them brings and an "Allow for this conversation" hold for
   * the later calls, as in a chat. Absent (or deleted since): a new one, titled `title`.
   */
  conversationId?: string;
  /** Later calls will share the conversation (an MCP session's, a script's of the day): its approvals may then offer to allow them all. */
  sharesConversation?: boolean;
  /** The conversation is the caller's of the day (caller-conversations.ts): its own name, as its approval says it. */
  callerOfTheDay?: string;
  /** Told the conversation as soon as it exists (an MCP client's progress says whether its call waits for the person). */
  onConversation?(conversationId: string): void;
  /** Told the progress the tool reports as it runs (an MCP server's, for a long call): an MCP client hears it. */
  onProgress?(progress: ToolProgress): void;
  /** No one waits to answer an approval: a call the policy asks about is denied at once (`GatewayCall.unattended`). */
  unattended?: boolean;
  /** Told its turn once the request is stored, before the call is decided: from then on it waits or runs. */
  onTurnStarted?(turn: { conversationId: string; turnId: string; traceId: string }): void;
}

/** `portcullis tools call` in its own process (no Portcullis running): the terminal's words for its call. */
export function terminalCaller(toolName: string, args: unknown): DirectCaller {
  return {
    title: `Direct call: ${toolName}`,
    author: TERMINAL_AUTHOR,
    request: `portcullis tools call ${toolName} --args ${JSON.stringify(args) ?? '{}'}`,
    note: DIRECT_CALL_NOTE,
  };
}

export interface DirectCallResult {
  conversationId: string;
  traceId: string;
  record: ToolCallRecord;
}

/**
 * One tool call from a script (`portcullis tools call`, the local API's `tools.call`, an MCP client), outside any
 * model turn but through the same gateway: validation, policy, approval, sandbox. It is recorded in its caller's
 * conversation (`caller.conversationId`, else a new one) and a trace of its own, so it shows up in the history and
 * the trace viewer like any other call: the command as
 * the person's message, the call as a request and its card. (Without the messages the conversation was listed, but opened empty.)
 */
export async function callToolDirectly(
  deps: {
    gateway: ToolGateway; conversations: ConversationStore; messages: MessageStore; tracer: Tracer; clock: Clock; audit?: Pick<AuditLog, 'record'>;
    /** Claims the call's turn across processes while it runs (`directTurnClaims`); returns the release. */
    holdTurn?: (turn: { conversationId: string; turnId: string }) => () => void;
  },
  toolName: string,
  args: unknown,
  signal?: AbortSignal,
  caller?: DirectCaller,
): Promise<DirectCallResult> {
  const now = deps.clock.now();
  const kept = existing(deps.conversations, caller?.conversationId);
  // A shared conversation (a session's, a caller's of the day) rises to the top of the sidebar with its latest call.
  if (kept !== undefined) deps.conversations.touch(kept, now);
  const conversationId = kept ?? deps.conversations.create({ id: newId(), title: caller?.title ?? `Direct call: ${toolName}`, createdAt: now, updatedAt: now }).id;
  caller?.onConversation?.(conversationId);
  // Who asked, on the audit chain ahead of the call's own entries: a conversation's title and its messages, which
  // say so too, can be renamed or deleted; the chain cannot.
  if (caller?.attributes?.['portcullis.caller'] !== undefined) {
    const said = Object.fromEntries(Object.entries(caller.attributes).filter(([, value]) => value !== undefined));
    deps.audit?.record({ kind: 'direct_call.made', conversationId, data: { tool: toolName, ...said } }, now);
  }
  const turnId = newId();
  const modelCallId = `direct-${turnId}`;
  let traceId = '';
  const record = await deps.tracer.withTrace('turn', `direct_call ${toolName}`, { 'gen_ai.conversation.id': conversationId, ...caller?.attributes }, async (span) => {
    traceId = span.traceId;
    const written = { conversationId, turnId, traceId, createdAt: now };
    deps.messages.append({ id: newId(), ...written, role: 'user', content: caller?.request ?? `portcullis tools call ${toolName} --args ${JSON.stringify(args) ?? '{}'}`, author: caller?.author ?? TERMINAL_AUTHOR, directCall: true });
    // Stored before it runs: a call the process never finished is answered at the next start, as in a turn.
    deps.messages.append({ id: newId(), ...written, role: 'assistant', content: '', toolCalls: [{ id: modelCallId, name: toolName, arguments: args }] });
    // Before its call is stored: an app starting beside this process from then on sees the call's process alive.
    const release = deps.holdTurn?.({ conversationId, turnId });
    caller?.onTurnStarted?.({ conversationId, turnId, traceId });
    const onProgress = caller?.onProgress?.bind(caller);
    // Its approval says who waits for the answer: this caller, not Portcullis.
    const requestedBy = caller?.author ?? TERMINAL_AUTHOR;
    try {
      return await deps.gateway.call({ conversationId, turnId, modelCallId, toolName, arguments: args, requestedBy, ...(caller?.sharesConversation ? {} : { soleCall: true }), ...(caller?.callerOfTheDay ? { callerOfTheDay: caller.callerOfTheDay } : {}), ...(caller?.unattended ? { unattended: true } : {}), ...(onProgress ? { onProgress } : {}) }, signal);
    } finally {
      release?.();
    }
  });
  deps.messages.append({ id: newId(), conversationId, turnId, role: 'tool', content: '', toolCallId: record.id, traceId, createdAt: deps.clock.now() });
  // The turn's answer, so the chat does not offer to retry it as a turn the model left unfinished.
  deps.messages.append({ id: newId(), conversationId, turnId, role: 'assistant', content: caller?.note ?? DIRECT_CALL_NOTE, traceId, createdAt: deps.clock.now() });
  return { conversationId, traceId, record };
}

function existing(conversations: ConversationStore, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  try {
    return conversations.get(id).id;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
