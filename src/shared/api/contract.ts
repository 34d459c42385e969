import { z } from 'zod';
import { ApprovalChoiceSchema, ApprovalOutcomeSchema, ApprovalRequestSchema } from '../domain/approval';
import { ConversationSchema } from '../domain/conversation';
import { MessageSchema } from '../domain/message';
import { SpanRecordSchema } from '../domain/span';
import { ToolCatalogSchema } from '../domain/tool-catalog';
import type { EventChannel, RequestChannel } from './channels';

const IdSchema = z.string().min(1).max(200);

/**
 * The API contract, written once: every host (Electron IPC, WebSocket, CLI) parses inputs with these
 * schemas before any handler runs, because the renderer and any network client are untrusted.
 */
export const requestContract = {
  'app.info': {
    input: z.object({}).strict(),
    output: z.object({
      version: z.string(),
      workspace: z.string(),
      dataDir: z.string(),
      model: z.object({ id: z.string(), description: z.string() }),
    }),
  },
  'conversations.create': {
    input: z.object({ title: z.string().trim().min(1).max(200).optional() }).strict(),
    output: ConversationSchema,
  },
  'conversations.list': {
    input: z.object({}).strict(),
    output: z.array(ConversationSchema),
  },
  'messages.list': {
    input: z.object({ conversationId: IdSchema }).strict(),
    output: z.array(MessageSchema),
  },
  'chat.send': {
    input: z.object({ conversationId: IdSchema, text: z.string().trim().min(1).max(100_000) }).strict(),
    output: z.object({ turnId: z.string(), traceId: z.string(), userMessageId: z.string() }),
  },
  'chat.stop': {
    input: z.object({ conversationId: IdSchema }).strict(),
    output: z.object({ stopped: z.boolean() }),
  },
  'approvals.pending': {
    input: z.object({}).strict(),
    output: z.array(ApprovalRequestSchema),
  },
  'approvals.decide': {
    input: z
      .object({ approvalId: IdSchema, choice: ApprovalChoiceSchema, note: z.string().max(2_000).optional() })
      .strict(),
    output: z.object({ outcome: ApprovalOutcomeSchema }),
  },
  'traces.spans': {
    input: z.object({ traceId: z.string().regex(/^[0-9a-f]{32}$/, 'a trace id is 32 hex characters') }).strict(),
    output: z.array(SpanRecordSchema),
  },
  'tools.catalog': {
    input: z.object({}).strict(),
    output: ToolCatalogSchema,
  },
  'tools.approveChange': {
    input: z.object({ name: z.string().min(1).max(300) }).strict(),
    output: z.object({ approved: z.boolean() }),
  },
} satisfies Record<RequestChannel, { input: z.ZodType; output: z.ZodType }>;

export const eventContract = {
  'chat.delta': {
    payload: z.object({ conversationId: z.string(), turnId: z.string(), text: z.string() }),
  },
  'chat.message': {
    payload: MessageSchema,
  },
  'chat.turnEnded': {
    payload: z.object({
      conversationId: z.string(),
      turnId: z.string(),
      traceId: z.string(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
  },
  'approval.requested': {
    payload: ApprovalRequestSchema,
  },
  'approval.resolved': {
    payload: z.object({ approvalId: z.string(), toolCallId: z.string(), outcome: ApprovalOutcomeSchema }),
  },
} satisfies Record<EventChannel, { payload: z.ZodType }>;

export type RequestInput<C extends RequestChannel> = z.input<(typeof requestContract)[C]['input']>;
export type ParsedRequestInput<C extends RequestChannel> = z.output<(typeof requestContract)[C]['input']>;
export type RequestOutput<C extends RequestChannel> = z.infer<(typeof requestContract)[C]['output']>;
export type EventPayload<E extends EventChannel> = z.infer<(typeof eventContract)[E]['payload']>;

/** A typed handler map: a channel without a handler is a type error in every host. */
export type RequestHandlers = {
  [C in RequestChannel]: (input: ParsedRequestInput<C>) => Promise<RequestOutput<C>>;
};

/** Every event as one discriminated value, for transports that carry them in a single stream. */
export type AppEvent = { [E in EventChannel]: { channel: E; payload: EventPayload<E> } }[EventChannel];
