import { z } from 'zod';
import { ToolCallRecordSchema } from './tool-call';

/** The longest message a person may send (after trimming): `chat.send` refuses more, and the composer says so first. */
export const MAX_MESSAGE_CHARS = 100_000;

export const MessageRoleSchema = z.enum(['user', 'assistant', 'tool']);
export type MessageRole = z.infer<typeof MessageRoleSchema>;

/** The tool calls a model asked for in an assistant message. */
export const RequestedToolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  arguments: z.unknown(),
});
export type RequestedToolCall = z.infer<typeof RequestedToolCallSchema>;

export const MessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  turnId: z.string(),
  role: MessageRoleSchema,
  content: z.string(),
  /** Assistant messages: the tool calls requested. */
  toolCalls: z.array(RequestedToolCallSchema).optional(),
  /** Tool messages: the governed call and its outcome. */
  toolCall: ToolCallRecordSchema.optional(),
  /**
   * An assistant reply the turn ended in the middle of (the person pressed Stop, Portcullis closed): kept as it was
   * read, but not an answer, so the turn can be retried.
   */
  cutShort: z.literal(true).optional(),
  /**
   * Assistant messages of a reasoning model: its thinking before the answer (its `<think>` block, or its server's
   * reasoning field) and how long it took. Kept and shown folded; never sent back to the model.
   */
  reasoning: z.object({ text: z.string(), ms: z.number().int().nonnegative() }).optional(),
  /**
   * A message the person did not type in a window of theirs: who sent it, as the chat labels it ("Terminal",
   * "Local API (key "backup")", "Cursor (MCP)"). Absent on the person's own messages and the agent's.
   */
  author: z.string().optional(),
  /**
   * The request of a direct call (`portcullis tools call`, a script's `tools.call`, an MCP client): no model took
   * part, its turn is that one call of its author's. Without it, a message with an author started a turn of the
   * model's (`portcullis chat` beside the app, a key's `chat.send`), as the person's own messages do.
   */
  directCall: z.literal(true).optional(),
  /**
   * An answer its turn's budget asked for: the steps were all taken, or the model asked for more tool calls than
   * the turn allows, so it was told to stop calling tools and answer from what it had. The chat says so under it.
   */
  answeredAtBudget: z.object({ budget: z.enum(['steps', 'tool_calls']), limit: z.number().int().nonnegative() }).optional(),
  /** The trace of the turn that produced this message. */
  traceId: z.string().nullable(),
  createdAt: z.number().int(),
});
export type Message = z.infer<typeof MessageSchema>;

/** A turn ends with the model's answer: an assistant message that asks for no tool. A turn without one can be retried. */
export function isAnswer(message: Message): boolean {
  return message.role === 'assistant' && !message.toolCalls?.length && !message.cutShort;
}
