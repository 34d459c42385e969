import { z } from 'zod';
import { PolicyDecisionSchema, ToolAnnotationsSchema } from './tool-call';

/** A mutating call waiting for the person: everything the dialog needs to show what will happen and why. */
export const ApprovalRequestSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  toolCallId: z.string(),
  toolName: z.string(),
  /** Plain words for the dialog title, e.g. "Write 2 characters to hello.txt". */
  summary: z.string(),
  arguments: z.unknown(),
  annotations: ToolAnnotationsSchema,
  sandboxed: z.boolean(),
  decision: PolicyDecisionSchema,
  requestedAt: z.number().int(),
  /** When no answer means deny (epoch ms). */
  expiresAt: z.number().int(),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

export const ApprovalChoiceSchema = z.enum(['allow_once', 'deny']);
export type ApprovalChoice = z.infer<typeof ApprovalChoiceSchema>;

export const ApprovalOutcomeSchema = z.enum(['approved', 'denied', 'timed_out']);
export type ApprovalOutcome = z.infer<typeof ApprovalOutcomeSchema>;
