import { z } from 'zod';
import { compilePolicyRegex } from './policy-regex';

/** A list of one or more strings, where one string alone stands for a list of it (`within: notes`). */
const oneOrMore = z.preprocess((value) => (typeof value === 'string' ? [value] : value), z.array(z.string().min(1)).min(1));

/** One argument condition. Exactly one kind per matcher; several keys on one argument must all hold. */
export const ArgMatcherSchema = z
  .object({
    /** The path, resolved against the workspace (`..`, symlinks, case), lies inside one of these folders. */
    within: oneOrMore.optional(),
    /** The path, resolved the same way, lies inside none of these folders. */
    outside: oneOrMore.optional(),
    /** The path (workspace-relative, or absolute when the glob is absolute) matches one of these globs. */
    glob: oneOrMore.optional(),
    /** The URL's host is one of these domains (`*.example.com` also matches subdomains). */
    domain: oneOrMore.optional(),
    /** The URL's host is none of these domains (an unparsable URL counts as outside). */
    notDomain: oneOrMore.optional(),
    /** The value, as a string, matches this regular expression (JavaScript's; a leading `(?i)`, `(?s)`, `(?m)` sets its flags). */
    regex: z
      .string()
      .min(1)
      .max(1_000)
      .superRefine((pattern, ctx) => {
        const compiled = compilePolicyRegex(pattern);
        if (!compiled.ok) ctx.addIssue({ code: 'custom', message: compiled.error });
      })
      .optional(),
    /** A number inside [min, max]. */
    range: z.object({ min: z.number().optional(), max: z.number().optional() }).strict().optional(),
    /** One of these exact values. */
    enum: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).min(1).optional(),
    /** The argument is present (true) or absent (false). */
    present: z.boolean().optional(),
  })
  .strict()
  .refine((m) => Object.keys(m).length > 0, 'an argument matcher needs at least one condition (within, outside, glob, domain, notDomain, regex, range, enum, present)');
export type ArgMatcher = z.infer<typeof ArgMatcherSchema>;

export const ToolClassSchema = z.enum(['read-only', 'mutating', 'destructive', 'open-world']);
export type ToolClass = z.infer<typeof ToolClassSchema>;

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

/**
 * Names and globs (of tools, or of servers) where a `!glob` takes names out of those the others name
 * (tool-glob-list.ts): a list of `!glob`s alone names nothing, and is refused rather than read as picomatch reads it
 * (every name but those), which would make `tool: "!fs.delete"` or `server: "!untrusted"` in an allow rule allow
 * every other tool or server.
 */
const globList = <T extends z.ZodType<string | string[]>>(schema: T, what: 'tools' | 'servers', example: string) =>
  schema.superRefine((value, ctx) => {
    const patterns: readonly string[] = typeof value === 'string' ? [value] : value;
    if (patterns.length > 0 && patterns.every((pattern) => pattern.startsWith('!'))) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} only takes ${what} out (a !glob takes ${what} out of those the others name, and alone names none): name the ${what} too, e.g. ${example}` });
    }
  });

/** What a rule looks at. Every listed condition must hold; an empty match matches every call. */
export const RuleMatchSchema = z
  .object({
    tool: globList(oneOrMany(z.string().min(1)), 'tools', 'tool: ["memory.*", "!memory.delete_entities"]').optional(),
    server: globList(oneOrMany(z.string().min(1)), 'servers', 'server: ["*", "!untrusted"]').optional(),
    class: oneOrMany(ToolClassSchema).optional(),
    args: z.record(z.string(), ArgMatcherSchema).optional(),
    intent: oneOrMany(z.string().min(1)).optional(),
    /** The router's confidence inside [min, max]; an unknown confidence counts as 0. */
    confidence: z.object({ min: z.number().min(0).max(1).optional(), max: z.number().min(0).max(1).optional() }).strict().optional(),
    tainted: z.boolean().optional(),
    /** Holds when this tool already ran `max` times in the last `windowSeconds`. */
    rate: z.object({ max: z.number().int().min(0), windowSeconds: z.number().positive().max(86_400) }).strict().optional(),
  })
  .strict();
export type RuleMatch = z.infer<typeof RuleMatchSchema>;

export const PolicyEffectSchema = z.enum(['allow', 'ask', 'deny']);
export type PolicyEffect = z.infer<typeof PolicyEffectSchema>;

export const PolicyRuleSchema = z
  .object({
    id: z.string().min(1).max(120).regex(/^[A-Za-z0-9._:-]+$/, 'a rule id uses letters, digits and . _ : -'),
    effect: PolicyEffectSchema,
    reason: z.string().min(1).max(500),
    match: RuleMatchSchema.default({}),
  })
  .strict();
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

/** Policy-driven routing for one intent: which tools the model is offered, and what happens when unsure. */
export const IntentPolicySchema = z
  .object({
    /** Tool name globs the model is offered for this intent; absent means every tool. */
    tools: globList(z.array(z.string().min(1)), 'tools', 'tools: ["memory.*", "!memory.delete_entities"]').optional(),
    /** Below this router confidence the turn does not simply go ahead. */
    minConfidence: z.number().min(0).max(1).default(0),
    /** What a turn below the threshold does: ask the person first, or run with no tools at all. */
    belowThreshold: z.enum(['ask', 'no-tools']).default('ask'),
  })
  .strict();
export type IntentPolicy = z.infer<typeof IntentPolicySchema>;

export const PolicyFileSchema = z
  .object({
    version: z.literal(1, { message: 'version must be 1 (the only policy format this build knows)' }),
    /** Per router intent: the tool allowlist and the confidence threshold. */
    intents: z.record(z.string().min(1), IntentPolicySchema).default({}),
    /** Folders whose files are trusted content; reading files elsewhere taints the conversation. */
    trustedRoots: z.array(z.string().min(1)).default(['${workspace}']),
    rules: z.array(PolicyRuleSchema).default([]),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `rule id "${rule.id}" is used twice` });
      seen.add(rule.id);
    });
  });
export type PolicyFile = z.infer<typeof PolicyFileSchema>;

/** A rule the person created with "Always allow…": one tool, an argument pattern, revocable. */
export const UserRuleSchema = z.object({
  id: z.string(),
  tool: z.string(),
  server: z.string().nullable(),
  args: z.record(z.string(), ArgMatcherSchema),
  reason: z.string(),
  createdAt: z.number().int(),
  /** Set when Portcullis turned the rule off, saying why (its pattern held a secret's value, now masked); it matches nothing until revoked. */
  disabled: z.string().optional(),
});
export type UserRule = z.infer<typeof UserRuleSchema>;

export const TaintSourceSchema = z.object({
  toolName: z.string(),
  toolCallId: z.string(),
  /** Plain words: "web content from example.com", "a file outside the trusted folders: /etc/hosts". */
  description: z.string(),
  at: z.number().int(),
});
export type TaintSource = z.infer<typeof TaintSourceSchema>;

export const PolicyStatusSchema = z.object({
  /** The file the rules in force come from (the person's, or the shipped default). */
  source: z.string(),
  /** Where the person's own policy goes (`<data folder>/policy.yaml`). */
  file: z.string(),
  loadedAt: z.number().int(),
  error: z.string().nullable(),
  rules: z.array(PolicyRuleSchema),
  userRules: z.array(UserRuleSchema),
});
export type PolicyStatus = z.infer<typeof PolicyStatusSchema>;

/** `policy.explain`: a hypothetical call, decided without running or recording anything. */
export const PolicyExplainInputSchema = z
  .object({
    tool: z.string().min(1).max(200),
    arguments: z.record(z.string(), z.unknown()).default({}),
    server: z.string().max(200).optional(),
    intent: z.string().max(200).optional(),
    confidence: z.number().min(0).max(1).optional(),
    tainted: z.boolean().optional(),
    conversationId: z.string().max(200).optional(),
  })
  .strict();
export type PolicyExplainInput = z.input<typeof PolicyExplainInputSchema>;

export const PolicyExplanationSchema = z.object({
  tool: z.string(),
  known: z.boolean(),
  classes: z.array(ToolClassSchema),
  decision: z.object({ effect: PolicyEffectSchema, ruleId: z.string(), reason: z.string() }),
  policySource: z.string(),
  policyError: z.string().nullable(),
});
export type PolicyExplanation = z.infer<typeof PolicyExplanationSchema>;

/** The decision's rule when the person chose "Allow for this conversation" for the tool (not a rule of the file). */
export const CONVERSATION_ALLOWED_RULE = 'conversation.allowed';

const ALLOWED_FOR_CONVERSATION = ' allowed ';

/**
 * That decision's reason: "You allowed fs.write for this conversation.", or who did when not the person (`key
 * "nightly"`); in a caller's conversation of the day, which all its sessions share, "… for claude-code today.".
 */
export function conversationAllowedReason(toolName: string, by?: string, callerOfTheDay?: string): string {
  const reach = callerOfTheDay === undefined ? FOR_THIS_CONVERSATION : `for ${callerOfTheDay} today`;
  return `${by ?? 'You'}${ALLOWED_FOR_CONVERSATION}${toolName} ${reach}.`;
}

const FOR_THIS_CONVERSATION = 'for this conversation';

/** Where that reason's tool is named: the first " allowed fs.write ", so a caller's name after it cannot move it. */
function toolNamedAt(reason: string, toolName: string): number {
  return reason.indexOf(`${ALLOWED_FOR_CONVERSATION}${toolName} `);
}

/** Who chose it, from that reason: null for the person (and any reason not written so). */
export function conversationAllower(reason: string, toolName: string): string | null {
  if (reason.startsWith('You ')) return null;
  const end = toolNamedAt(reason, toolName);
  return end > 0 ? reason.slice(0, end) : null;
}

/** What it covers, from that reason: "for claude-code today", or "for this conversation" (also for one not written so). */
export function conversationAllowanceReach(reason: string, toolName: string): string {
  const at = toolNamedAt(reason, toolName);
  if (at === -1) return FOR_THIS_CONVERSATION;
  const reach = reason.slice(at + ALLOWED_FOR_CONVERSATION.length + toolName.length + 1).replace(/\.$/, '');
  return reach.startsWith('for ') ? reach : FOR_THIS_CONVERSATION;
}
