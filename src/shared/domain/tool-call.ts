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
  /** The id the model gave the call; its result goes back to the model under it. */
  modelCallId: z.string().optional(),
  toolName: z.string(),
  arguments: z.unknown(),
  decision: PolicyDecisionSchema.nullable(),
  approval: z.enum(['approved', 'denied', 'timed_out']).nullable(),
  /**
   * Who answered its approval ("person: deny", "api: key "nightly"", "script: --approve none", "timeout"…, see
   * approval-decider.ts); absent before anyone did, and on calls recorded before it was kept (read as the person's).
   */
  decidedBy: z.string().optional(),
  /**
   * What its approval's "Allow for this conversation" covered, when that was the answer: "this conversation", or
   * "claude-code today" in a caller's conversation of the day (its card says "approved by you for claude-code today");
   * for "Always allow…", the rule it made ("calls like it from now on (rule user.fs.write.…)").
   */
  allowedFor: z.string().optional(),
  status: ToolCallStatusSchema,
  result: z.unknown().optional(),
  /**
   * The result came from outside the person's control (an MCP server, the web): taint for the policy. Not for a
   * server whose `"trustedOutput"` holds, unless what the call reached tainted it.
   */
  untrusted: z.boolean().optional(),
  error: ToolCallErrorSchema.nullable(),
  startedAt: z.number().int(),
  endedAt: z.number().int().nullable(),
  /** How long of startedAt → endedAt it waited for the person's answer, when it asked. */
  approvalWaitMs: z.number().int().optional(),
});
export type ToolCallRecord = z.infer<typeof ToolCallRecordSchema>;

/** How far a long call has come, as its MCP server reports it (`notifications/progress`). */
export const ToolProgressSchema = z.object({
  progress: z.number(),
  /** Absent when the server does not know the whole. */
  total: z.number().optional(),
  message: z.string().optional(),
});
export type ToolProgress = z.infer<typeof ToolProgressSchema>;

/** A call that is running now: sent when it starts and as it reports progress, so the chat can show it. */
export const ToolActivitySchema = z.object({
  conversationId: z.string(),
  turnId: z.string(),
  callId: z.string(),
  toolName: z.string(),
  progress: ToolProgressSchema.nullable(),
});
export type ToolActivity = z.infer<typeof ToolActivitySchema>;
