import { z } from 'zod';
import { PolicyDecisionSchema, ToolCallErrorSchema, ToolCallStatusSchema } from './tool-call';
import { nestsDeeperThan } from '../json-depth';

/** The most a script may let one call (its approval included) take before it is cancelled: 10 minutes. */
export const MAX_DIRECT_CALL_TIMEOUT_MS = 600_000;

/**
 * How deeply a call's arguments may nest. Arguments nested thousands deep overflowed the stack where the call is
 * written down (INTERNAL, "Something went wrong inside Portcullis"); no tool's arguments need more than a few levels.
 */
export const MAX_ARGUMENT_DEPTH = 128;

/** One governed call asked for by a script (`tools.call`) or an MCP client (the `/mcp` endpoint). */
export const DirectCallInputSchema = z
  .object({
    /** The tool's namespaced name, as `tools.catalog` lists it (`fs.read`, `everything.echo`). */
    name: z.string().trim().min(1).max(300),
    /**
     * Checked against the tool's input schema by the gateway, as a model's arguments are. A lone value or a list is
     * the caller's mistake, refused before anything is called or recorded (as `tools call --args` refuses it).
     */
    arguments: z
      .record(z.string(), z.unknown(), { error: (issue) => `must be a JSON object, e.g. {"path":"."}, not ${shownValue(issue.input)}` })
      .refine((args) => !nestsDeeperThan(args, MAX_ARGUMENT_DEPTH), `must not nest objects and arrays more than ${MAX_ARGUMENT_DEPTH} levels deep`)
      .optional(),
    /**
     * How long the caller waits for the whole call, a wait for the person's approval included; then the call is
     * cancelled (as Stop cancels one) and the outcome is an error TOOL_TIMEOUT. Default: the approval's own
     * timeout and the tool's.
     */
    timeoutMs: z.number().int().min(1).max(MAX_DIRECT_CALL_TIMEOUT_MS).optional(),
    /**
     * When the policy asks about the call: `wait` (the default) for the person's answer in the running Portcullis,
     * or `deny` it at once without asking anyone (a script that will not wait; `portcullis tools call --approve none`).
     */
    ifAsked: z.enum(['wait', 'deny']).optional(),
  })
  .strict();
export type DirectCallInput = z.infer<typeof DirectCallInputSchema>;

/** What a caller sent, in JSON, cut short: a script's developer sees what went. */
function shownValue(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}…` : json;
}

/**
 * What came of it: `ok` with the result (cut down with a notice, `truncated`, when it was too large), `denied`
 * (a rule, the person, no answer in time) with the reason, or `error` (no such tool, arguments its schema
 * refuses, the tool failed) with its code and message; the trace id and the conversation it is recorded in (none for
 * a name no tool has: answered before anything is recorded).
 */
export const DirectCallOutcomeSchema = z.object({
  outcome: z.enum(['ok', 'denied', 'error']),
  tool: z.string(),
  status: ToolCallStatusSchema,
  /** The policy's decision; null when the call stopped before it (no such tool, arguments refused). */
  decision: PolicyDecisionSchema.nullable(),
  /** The person's answer, when the policy asked. */
  approval: z.enum(['approved', 'denied', 'timed_out']).nullable(),
  /**
   * Who answered that approval, as its record keeps it (approval-decider.ts): "person: allow_once", "api: key "nightly"",
   * "script: --approve none", "unasked", "timeout", "stop"…; absent when nothing was asked.
   */
  decidedBy: z.string().optional(),
  result: z.unknown().optional(),
  /**
   * The result came from outside the person's control (an MCP server, the web); not for a server whose
   * `"trustedOutput"` holds, unless the call reached the web or a file outside the trusted folders.
   */
  untrusted: z.boolean().optional(),
  /** The result was larger than Portcullis hands on: it ends with a notice saying so. */
  truncated: z.boolean().optional(),
  /**
   * The arguments it ran with, when the person edited them before allowing it: the caller's are not what ran, and
   * a caller that goes on as if they were (an MCP client's model) would be mistaken.
   */
  editedArguments: z.unknown().optional(),
  /** For `denied`: why, in words (the rule and its reason, the person's note). */
  reason: z.string().optional(),
  /** For `denied` and `error`: the code and the message. */
  error: ToolCallErrorSchema.nullable(),
  /**
   * Where it is recorded: its trace, conversation and call. Absent when nothing was called or recorded: no tool has
   * the name asked for (a typo leaves no "Direct call" conversation behind).
   */
  traceId: z.string().optional(),
  conversationId: z.string().optional(),
  toolCallId: z.string().optional(),
});
export type DirectCallOutcome = z.infer<typeof DirectCallOutcomeSchema>;
