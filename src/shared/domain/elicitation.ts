import { z } from 'zod';

/**
 * One field an MCP server asks for: MCP allows only flat primitives (text with an optional format or length,
 * a number or integer in a range, a yes/no, a choice of strings, or several of them). The SDK checks the
 * server's request against that before it reaches Portcullis.
 */
export const ElicitationFieldSchema = z.object({
  type: z.enum(['string', 'number', 'integer', 'boolean', 'array']),
  title: z.string().optional(),
  description: z.string().optional(),
  format: z.enum(['email', 'uri', 'date', 'date-time']).optional(),
  minLength: z.number().optional(),
  maxLength: z.number().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  minItems: z.number().optional(),
  maxItems: z.number().optional(),
  /** The choices, for a single choice (enum or oneOf) or several (an array of them), each with its label. */
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  default: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
});
export type ElicitationField = z.infer<typeof ElicitationFieldSchema>;

/**
 * A server asking the person's model to write something (MCP sampling): what the model would be sent, in the
 * server's words cleaned, and which model would answer. Only its text: a part of another kind is named in a line.
 */
export const SamplingAskSchema = z.object({
  /** The model that would answer: the one chosen in Settings → Model. */
  model: z.string(),
  systemPrompt: z.string().optional(),
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), text: z.string() })),
  /** The most the reply may take, after Portcullis' own cap. */
  maxTokens: z.number().int().positive(),
});
export type SamplingAsk = z.infer<typeof SamplingAskSchema>;

/** A server asking the person something while it works: what the dialog shows, and what it is about. */
export const ElicitationRequestSchema = z.object({
  id: z.string(),
  /** The MCP server that asks. */
  server: z.string(),
  /** Whether that server runs in the OS sandbox. */
  sandboxed: z.boolean(),
  /** The server's words: control characters stripped and any secret it was given hidden. */
  message: z.string(),
  /** The fields in the server's order, by name; `required` names those that must be given. */
  fields: z.array(z.object({ name: z.string(), required: z.boolean(), field: ElicitationFieldSchema })),
  /** Present when the server asks for the model's words, not the person's (then `fields` is empty): accept sends them. */
  sampling: SamplingAskSchema.optional(),
  /** The call the server was running when it asked, when it ran exactly one: its tool, conversation and record. */
  call: z.object({ toolCallId: z.string(), toolName: z.string(), conversationId: z.string() }).optional(),
  requestedAt: z.number().int(),
  /** When no answer means cancel (epoch ms). */
  expiresAt: z.number().int(),
});
export type ElicitationRequest = z.infer<typeof ElicitationRequestSchema>;

export const ElicitationValueSchema = z.union([z.string().max(100_000), z.number(), z.boolean(), z.array(z.string().max(10_000)).max(1_000)]);

/** The person's answer: the values (checked against the fields before the server gets them), no, or not now. */
export const ElicitationAnswerSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), content: z.record(z.string(), ElicitationValueSchema) }).strict(),
  z.object({ action: z.literal('decline') }).strict(),
  z.object({ action: z.literal('cancel') }).strict(),
]);
export type ElicitationAnswer = z.infer<typeof ElicitationAnswerSchema>;
export type ElicitationAction = ElicitationAnswer['action'];
