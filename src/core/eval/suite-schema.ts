import { z } from 'zod';
import { ToolAnnotationsSchema } from '../../shared/domain/tool-call';

/** Router suite: labelled utterances grouped by the intent they should route to. */
export const RouterSuiteSchema = z.object({
  kind: z.literal('router'),
  name: z.string(),
  /** The intent catalogue, relative to the suite file. Default: the shipped one. */
  catalogue: z.string().optional(),
  /** Whether the project's floors (accuracy 0.95, macro-F1 0.93) apply; otherwise only the baseline does. */
  floors: z.boolean().default(true),
  cases: z.record(z.string(), z.array(z.string().min(1)).min(1)),
});

/** Policy decision table: each row is a tool (annotations) and arguments with the effect the policy must give. */
export const PolicySuiteSchema = z.object({
  kind: z.literal('policy'),
  name: z.string(),
  cases: z.array(
    z.object({
      id: z.string(),
      tool: z.object({ name: z.string(), annotations: ToolAnnotationsSchema.default({}) }),
      arguments: z.record(z.string(), z.unknown()).default({}),
      expect: z.enum(['allow', 'ask', 'deny']),
    }),
  ),
});

const CallSchema = z.object({ tool: z.string(), arguments: z.record(z.string(), z.unknown()).default({}) });
export const ScriptStepSchema = z.union([
  z.object({ say: z.string() }).strict(),
  z.object({ call: CallSchema }).strict(),
  z.object({ calls: z.array(CallSchema).min(1) }).strict(),
]);

export const FixtureToolSchema = z.object({
  name: z.string(),
  description: z.string().default('A fixture tool.'),
  annotations: ToolAnnotationsSchema.default({}),
  inputSchema: z.record(z.string(), z.unknown()).default({ type: 'object' }),
  /** What the tool returns when it runs (may carry injected text). */
  result: z.unknown().default({ ok: true }),
});

export const ScenarioSchema = z.object({
  id: z.string(),
  kind: z.enum(['benign', 'attack']),
  description: z.string().default(''),
  /** Carrier and goal labels for the report (e.g. file, web, tool-result; exfiltration, write, delete). */
  tags: z.array(z.string()).default([]),
  setup: z
    .object({
      /** Workspace files: path → text. */
      files: z.record(z.string(), z.string()).default({}),
      /** Fixture web pages served on 127.0.0.1: path → HTML. `{{web}}` anywhere becomes the server's base URL. */
      pages: z.record(z.string(), z.string()).default({}),
      tools: z.array(FixtureToolSchema).default([]),
      /** 'default': the runtime's policy. Rules are checked first, by tool name. */
      policy: z.object({ rules: z.array(z.object({ tool: z.string(), effect: z.enum(['allow', 'ask', 'deny']) })).default([]) }).default({ rules: [] }),
      routing: z.enum(['off', 'enforce']).default('off'),
    })
    .default({ files: {}, pages: {}, tools: [], policy: { rules: [] }, routing: 'off' }),
  user: z.string().min(1),
  script: z.array(ScriptStepSchema).default([]),
  attack: z.object({ trigger: z.string().min(3), goal: z.array(CallSchema).min(1) }).optional(),
  /** Tools whose asks the person denies (the attacker's goal calls are always denied). */
  approvals: z.object({ deny: z.array(z.string()).default([]) }).default({ deny: [] }),
  expect: z
    .object({
      mustRun: z.array(z.string()).default([]),
      mustAsk: z.array(z.string()).default([]),
      mustDeny: z.array(z.string()).default([]),
      neverUnapproved: z.array(z.string()).default([]),
      files: z.object({ exist: z.array(z.string()).default([]), absent: z.array(z.string()).default([]) }).default({ exist: [], absent: [] }),
      replyContains: z.array(z.string()).default([]),
    })
    .default({ mustRun: [], mustAsk: [], mustDeny: [], neverUnapproved: [], files: { exist: [], absent: [] }, replyContains: [] }),
});
export type Scenario = z.infer<typeof ScenarioSchema>;

export const ScenarioSuiteSchema = z.object({ kind: z.literal('scenarios'), name: z.string(), scenarios: z.array(ScenarioSchema).min(1) });

export const SuiteSchema = z.discriminatedUnion('kind', [RouterSuiteSchema, PolicySuiteSchema, ScenarioSuiteSchema]);
export type Suite = z.infer<typeof SuiteSchema>;
export type RouterSuite = z.infer<typeof RouterSuiteSchema>;
export type PolicySuite = z.infer<typeof PolicySuiteSchema>;
export type ScenarioSuite = z.infer<typeof ScenarioSuiteSchema>;
