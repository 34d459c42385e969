import { z } from 'zod';
import { ArgMatcherSchema, TaintSourceSchema } from './policy';
import { PolicyDecisionSchema, ToolAnnotationsSchema } from './tool-call';
import { isSensitive, toolClasses } from './tool-class';

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
  /** Its server's sandbox lets it reach nothing outside this computer (it is then not open-world). */
  offline: z.boolean().optional(),
  decision: PolicyDecisionSchema,
  requestedAt: z.number().int(),
  /** When no answer means deny (epoch ms). */
  expiresAt: z.number().int(),
  /** The MCP server of the tool; `builtin` for Portcullis's own tools. */
  server: z.string().optional(),
  /**
   * An MCP tool's description as its server wrote it (its title is in `annotations`): the server's words, so shown
   * under Portcullis' own title, labelled as the server's, never as the title.
   */
  serverDescription: z.string().optional(),
  /** SHA-256 of the canonical arguments: an answer is bound to exactly these. */
  argumentsHash: z.string().optional(),
  /** Where this conversation read untrusted content, when it did. */
  taint: z.array(TaintSourceSchema).optional(),
  /**
   * For a file write: what the file holds now (null when it does not exist yet), for a diff in the dialog. `encoding`:
   * the file is UTF-16 text (its byte-order mark says which), decoded as fs.read decodes it; absent for UTF-8.
   * `binary`: it is no text file (what it looks like, "a zip archive, as .xlsx…", or null), and `content` is empty.
   */
  fileBefore: z
    .object({ path: z.string(), content: z.string().nullable(), truncated: z.boolean(), encoding: z.enum(['utf-16le', 'utf-16be']).optional(), binary: z.string().nullable().optional() })
    .optional(),
  /**
   * The call is the only one its conversation will hold (a script's `tools.call`, `portcullis tools call`): an
   * allowance for the conversation would hold for nothing, so it is not offered.
   */
  soleCall: z.boolean().optional(),
  /**
   * The conversation is a caller's conversation of the day (caller-conversations.ts): that caller's own name
   * ("claude-code", "nightly backup"). All its calls of today land in it, from any of its sessions, so an allowance
   * for the conversation holds for them all: the dialog says "Allow for claude-code today", not "for this conversation".
   */
  callerOfTheDay: z.string().optional(),
  /**
   * Who asked for the call when no model of Portcullis did: a script (`tools.call`) or an MCP client, as its
   * request's header says ("Cursor (MCP)", "Local API (key "backup")"). It is who waits for the answer.
   */
  requestedBy: z.string().optional(),
  /**
   * Who sent the message of the turn whose model asked for the call, when the person did not type it in a window of
   * theirs: `portcullis chat` beside the app ("Terminal"), a key's `chat.send` ("Local API (key "nightly")"). It is
   * who waits for the answer, and why the person should not take the call for one of their own requests.
   */
  sentBy: z.string().optional(),
  /**
   * The turn is a retry (Retry on a turn that ended without an answer) of a message someone else sent, or made by
   * someone else: who retried it ("Local API (key "nightly")"), null for the person. It started this run, so it, not
   * the message's sender, is who waits for the answer; the message is still `sentBy`'s.
   */
  retriedBy: z.string().nullable().optional(),
  /**
   * The id of the turn's message, when the model that asked plans each call from that message alone and follows no
   * instructions in what tools return (the built-in model): untrusted content the conversation read did not choose
   * the call, unless it is that message's own (a taint source with this id: an MCP server's prompt or resource it
   * was sent with).
   */
  plannedFromMessage: z.string().optional(),
  /**
   * Its server's sandbox does not let it write a folder the call names: the call may only be refused, said with where
   * to grant the folder first (`sandboxWriteWarning`).
   */
  sandboxWarning: z.string().optional(),
  /** The rule "Always allow…" would create: this tool, narrowed to these arguments. Editable before saving. */
  proposedRule: z.object({ tool: z.string(), args: z.record(z.string(), ArgMatcherSchema) }).optional(),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

export const ApprovalChoiceSchema = z.enum(['allow_once', 'allow_conversation', 'always_allow', 'deny']);
export type ApprovalChoice = z.infer<typeof ApprovalChoiceSchema>;

export const ApprovalOutcomeSchema = z.enum(['approved', 'denied', 'timed_out']);
export type ApprovalOutcome = z.infer<typeof ApprovalOutcomeSchema>;

/** The optional parts of an answer: edited arguments (re-validated) and the "always allow" rule's pattern. */
export const ApprovalDecisionExtrasSchema = z
  .object({
    /** The arguments the person edited; the call runs with these after they are validated again. */
    arguments: z.record(z.string(), z.unknown()).optional(),
    /** The hash of the arguments the person saw; a mismatch refuses the answer. */
    argumentsHash: z.string().max(128).optional(),
    /** For always_allow: the argument pattern of the rule; default: the proposed one. */
    ruleArgs: z.record(z.string(), ArgMatcherSchema).optional(),
  })
  .strict();
export type ApprovalDecisionExtras = z.infer<typeof ApprovalDecisionExtrasSchema>;

/**
 * An MCP server's tool that runs without an OS sandbox: each of its calls asks, whatever allowed it, so an
 * allowance for the conversation or a rule of the person's would never hold, and neither is offered. `server`
 * is absent (a tool definition) or `builtin` (an approval request) for Portcullis's own tools.
 */
export function asksEveryCall(tool: { readonly server?: string | undefined; readonly sandboxed?: boolean | undefined }): boolean {
  return tool.server !== undefined && tool.server !== '' && tool.server !== 'builtin' && !tool.sandboxed;
}

/**
 * Whether "Allow for this conversation" would hold for later calls of this request's tool. Not in a conversation
 * that read untrusted content (which stays so) for a tool that changes things or can send data out: the policy's
 * taint override asks for each such call whatever allowed it, so the choice would only be a decoy.
 */
export function conversationAllowanceHolds(request: Pick<ApprovalRequest, 'taint' | 'annotations' | 'offline'>): boolean {
  return !request.taint?.length || !isSensitive(toolClasses(request.annotations, request.offline));
}
