import { z } from 'zod';

/** What the policy said about a call: the effect, which rule decided and why, in words a person can read. */
export const PolicyDecisionSchema = z.object({
  effect: z.enum(['allow', 'ask', 'deny']),
  ruleId: z.string(),
  reason: z.string(),
});
export type PolicyDecision = z.infer<typeof PolicyDecisionSchema>;

export const ToolCallStatusSchema = z.enum([
  'pending',
  'awaiting_approval',
  'running',
  'succeeded',
  'failed',
  'denied',
]);
export type ToolCallStatus = z.infer<typeof ToolCallStatusSchema>;

/** MCP tool annotations, kept as the protocol names them. */
export const ToolAnnotationsSchema = z.object({
  title: z.string().optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});
export type ToolAnnotations = z.infer<typeof ToolAnnotationsSchema>;

export const ToolCallErrorSchema = z.object({ code: z.string(), message: z.string() });

export const ToolCallRecordSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  turnId: z.string(),
  toolName: z.string(),
  arguments: z.unknown(),
  decision: PolicyDecisionSchema.nullable(),
  approval: z.enum(['approved', 'denied', 'timed_out']).nullable(),
  status: ToolCallStatusSchema,
  result: z.unknown().optional(),
  /** The result came from outside the person's control (an MCP server, the web): taint for the policy. */
  untrusted: z.boolean().optional(),
  error: ToolCallErrorSchema.nullable(),
  startedAt: z.number().int(),
  endedAt: z.number().int().nullable(),
});
export type ToolCallRecord = z.infer<typeof ToolCallRecordSchema>;
