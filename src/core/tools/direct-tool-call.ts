import type { ToolCallRecord } from '../../shared/domain/tool-call';
import { newId } from '../../shared/ids';
import type { Clock } from '../clock';
import type { ConversationStore } from '../storage/stores/conversation-store';
import type { MessageStore } from '../storage/stores/message-store';
import type { Tracer } from '../telemetry/tracer';
import type { ToolGateway } from './tool-gateway';

/** What the conversation of a direct call says in the place of a model's answer. */
export const DIRECT_CALL_NOTE = 'Called from the terminal (portcullis tools call): no model took part; the card above shows the outcome.';

export interface DirectCallResult {
  conversationId: string;
  traceId: string;
  record: ToolCallRecord;
}

/**
 * One tool call from a script (`portcullis tools call`), outside any model turn but through the same gateway:
 * validation, policy, approval, sandbox. It is recorded in its own conversation and trace, so it shows up in the
 * history and the trace viewer like any other call: the command as the person's message, the call as a request
 * and its card. (Without the messages the conversation was listed, but opened empty.)
 */
export async function callToolDirectly(
  deps: { gateway: ToolGateway; conversations: ConversationStore; messages: MessageStore; tracer: Tracer; clock: Clock },
  toolName: string,
  args: unknown,
  signal?: AbortSignal,
): Promise<DirectCallResult> {
  const now = deps.clock.now();
  const conversation = deps.conversations.create({ id: newId(), title: `Direct call: ${toolName}`, createdAt: now, updatedAt: now });
  const conversationId = conversation.id;
  const turnId = newId();
  const modelCallId = `direct-${turnId}`;
  let traceId = '';
  const record = await deps.tracer.withTrace('turn', `direct_call ${toolName}`, { 'gen_ai.conversation.id': conversationId }, (span) => {
    traceId = span.traceId;
    const written = { conversationId, turnId, traceId, createdAt: now };
    deps.messages.append({ id: newId(), ...written, role: 'user', content: `portcullis tools call ${toolName} --args ${JSON.stringify(args) ?? '{}'}` });
    // Stored before it runs: a call the process never finished is answered at the next start, as in a turn.
    deps.messages.append({ id: newId(), ...written, role: 'assistant', content: '', toolCalls: [{ id: modelCallId, name: toolName, arguments: args }] });
    return deps.gateway.call({ conversationId, turnId, modelCallId, toolName, arguments: args }, signal);
  });
  deps.messages.append({ id: newId(), conversationId, turnId, role: 'tool', content: '', toolCallId: record.id, traceId, createdAt: deps.clock.now() });
  // The turn's answer, so the chat does not offer to retry it as a turn the model left unfinished.
  deps.messages.append({ id: newId(), conversationId, turnId, role: 'assistant', content: DIRECT_CALL_NOTE, traceId, createdAt: deps.clock.now() });
  return { conversationId, traceId, record };
}
