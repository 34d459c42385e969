import type { RequestHandlers } from '../../shared/api/contract';
import { newId } from '../../shared/ids';
import type { InteractiveApprovalGate } from '../approvals/interactive-approval-gate';
import type { Clock } from '../clock';
import type { ModelProvider } from '../model/model-provider';
import type { TurnRunner } from '../orchestrator/turn-runner';
import type { ConversationStore } from '../storage/stores/conversation-store';
import type { MessageStore } from '../storage/stores/message-store';
import type { SpanStore } from '../storage/stores/span-store';
import type { Telemetry } from '../telemetry/telemetry';
import type { TraceAccess } from '../telemetry/trace-access';
import { createTraceHandlers } from './trace-handlers';

export interface HandlerDeps {
  info: { version: string; workspace: string; dataDir: string };
  model: ModelProvider;
  conversations: ConversationStore;
  messages: MessageStore;
  spans: SpanStore;
  turns: TurnRunner;
  approvals: InteractiveApprovalGate;
  clock: Clock;
  telemetry: Telemetry;
  /** Who is asking, for trace scopes; default: the local person (every scope). */
  traceAccess?: () => TraceAccess;
}

/** The contract's handlers. Inputs arrive already parsed by `dispatchRequest`. */
export function createRequestHandlers(deps: HandlerDeps): RequestHandlers {
  const { conversations, messages, turns, approvals, clock } = deps;
  return {
    'app.info': async () => ({ ...deps.info, model: { id: deps.model.id, description: deps.model.description } }),
    'conversations.create': async ({ title }) => {
      const now = clock.now();
      return conversations.create({ id: newId(), title: title ?? 'New chat', createdAt: now, updatedAt: now });
    },
    'conversations.list': async () => conversations.list(),
    'messages.list': async ({ conversationId }) => {
      conversations.get(conversationId);
      return messages.list(conversationId);
    },
    'chat.send': async ({ conversationId, text }) => {
      const { turnId, traceId, userMessageId } = turns.start(conversationId, text);
      return { turnId, traceId, userMessageId };
    },
    'chat.stop': async ({ conversationId }) => ({ stopped: turns.stop(conversationId) }),
    'approvals.pending': async () => approvals.pending(),
    'approvals.decide': async ({ approvalId, choice, note }) => ({ outcome: approvals.decide(approvalId, choice, note) }),
    ...createTraceHandlers(deps.telemetry, deps.traceAccess),
  };
}
