import type { ToolCallRecord } from '../../shared/domain/tool-call';
import { newId } from '../../shared/ids';
import type { Clock } from '../clock';
import type { ConversationStore } from '../storage/stores/conversation-store';
import type { Tracer } from '../telemetry/tracer';
import type { ToolGateway } from './tool-gateway';

export interface DirectCallResult {
  conversationId: string;
  traceId: string;
  record: ToolCallRecord;
}

/**
 * One tool call from a script (`portcullis tools call`), outside any model turn but through the same gateway:
 * validation, policy, approval, sandbox. It is recorded in its own conversation and trace, so it shows up in the
 * history and the trace viewer like any other call.
 */
export async function callToolDirectly(
  deps: { gateway: ToolGateway; conversations: ConversationStore; tracer: Tracer; clock: Clock },
  toolName: string,
  args: unknown,
  signal?: AbortSignal,
): Promise<DirectCallResult> {
  const now = deps.clock.now();
  const conversation = deps.conversations.create({ id: newId(), title: `Direct call: ${toolName}`, createdAt: now, updatedAt: now });
  const turnId = newId();
  let traceId = '';
  const record = await deps.tracer.withTrace('turn', `direct_call ${toolName}`, { 'gen_ai.conversation.id': conversation.id }, (span) => {
    traceId = span.traceId;
    return deps.gateway.call({ conversationId: conversation.id, turnId, modelCallId: `direct-${turnId}`, toolName, arguments: args }, signal);
  });
  return { conversationId: conversation.id, traceId, record };
}
