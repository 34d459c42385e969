import { z } from 'zod';
import { ToolAnnotationsSchema } from './tool-call';

/** One of a tool's arguments, in words: `message` (string, required): what to echo. */
export const ToolParameterSchema = z.object({
  name: z.string(),
  /** Its type in words: `string`, `list of strings`, `one of "a", "b"`, `any`. */
  type: z.string(),
  required: z.boolean(),
  description: z.string().optional(),
});
export type ToolParameter = z.infer<typeof ToolParameterSchema>;

/** A definition of an MCP tool as pinned or offered; `annotations` is absent from a pin taken before they counted. */
const PinnedDefinitionSchema = z.object({ description: z.string(), inputSchema: z.record(z.string(), z.unknown()), annotations: ToolAnnotationsSchema.optional() });

/** One tool as the person sees it: where it comes from, what it may do, whether it is sandboxed and pinned. */
export const ToolInfoSchema = z.object({
  name: z.string(),
  /** The MCP server that provides it; null for built-ins. */
  server: z.string().nullable(),
  description: z.string(),
  /** Its arguments, from its input schema: required ones first. */
  parameters: z.array(ToolParameterSchema),
  annotations: ToolAnnotationsSchema,
  sandboxed: z.boolean(),
  /** Its server's sandbox lets it reach nothing outside this computer, so it counts as closed-world. */
  offline: z.boolean(),
  /** The chat message that calls it by name, its required arguments left empty: `everything.echo {"message":""}`. */
  callExample: z.string(),
  /** An MCP tool the person turned off (its server's `disabledTools`): listed, never offered or run. */
  turnedOff: z.boolean(),
  /**
   * MCP tools: `changed` means held back until the person re-approves the new definition; `new`, held back because
   * its server added it after its first list, until the person approves it.
   */
  pinState: z.enum(['pinned', 'changed', 'new']).nullable(),
  /** A held-back tool: the definition the person approved (null for a new one) and the one the server offers now. */
  change: z
    .object({
      approved: PinnedDefinitionSchema.nullable(),
      offered: PinnedDefinitionSchema,
      /** The person rejected the offered definition: it stays held back without asking again. */
      rejected: z.boolean(),
      /**
       * The offered definition's hash (tool-pins.ts' definitionHash): approving names it, so that a definition its
       * server offered since, unseen, is not approved. Null when nothing waits to be approved.
       */
      hash: z.string().nullable(),
      /** A `new` tool held only because tool-pins.json and its copy were lost, not one its server added later. */
      pinsLost: z.boolean().optional(),
    })
    .optional(),
});
export type ToolInfo = z.infer<typeof ToolInfoSchema>;

/**
 * What of the person's home folder a sandboxed server may read. private: only what its `readable` lists (the rest of
 * the home folder is hidden from it); otherwise all of it but credentials, because of: its `"readHome": true`, a
 * workspace that is the home folder or holds it, an `allowRead` entry or its arguments naming the home folder (or a
 * folder holding it).
 */
export const HomeAccessSchema = z.enum(['private', 'readHome', 'workspace', 'allowRead', 'arguments']);
export type HomeAccess = z.infer<typeof HomeAccessSchema>;

/** A place a sandboxed server may read though it is in the home folder, and why. */
export const ReadGrantSchema = z.object({
  path: z.string(),
  /**
   * workspace; write: its `allowWrite`; allowRead: its `allowRead`; arguments: its command line or `cwd` names it;
   * environment: a variable of its `env` names it (server-memory's MEMORY_FILE_PATH); packageCache: its package
   * launcher's cache; runtime: where runtimes and their tools live (nvm, uv, ~/.cache…).
   */
  from: z.enum(['workspace', 'write', 'allowRead', 'arguments', 'environment', 'packageCache', 'runtime']),
});
export type ReadGrant = z.infer<typeof ReadGrantSchema>;

/** What a sandboxed server may do beyond reading the system: what the person granted it, and its limits. */
export const SandboxGrantsSchema = z.object({
  /** What of the home folder it may read: all but credentials, or only `readable`. */
  home: HomeAccessSchema,
  /** What it may read in the home folder (and what its `allowRead` names elsewhere), each with why. */
  readable: z.array(ReadGrantSchema),
  /**
   * The workspace's secret files (what policy.yaml's `deny.secrets` calls one: `.env`, keys…) hidden from it, found
   * when it started (one made later stays readable to it until it restarts); `allowed`: those its `allowRead` names.
   * `complete` false: the look stopped at a limit (very deep or large workspace), so some may not be hidden.
   */
  workspaceSecrets: z.object({ hidden: z.array(z.string()), allowed: z.array(z.string()), complete: z.boolean() }),
  /** Folders it may write (its `allowWrite`, resolved). */
  writable: z.array(z.string()),
  /** The cache its package launcher (npx, uvx) fills, writable too; null for other commands. */
  packageCache: z.string().nullable(),
  /** Domains it may reach (its `allowedDomains`); none: no network. */
  domains: z.array(z.string()),
  /**
   * It can reach nothing outside this computer: no domain granted, and local daemons' sockets (an SSH agent,
   * Docker) refused, which on Linux takes the sandbox's seccomp filter. Its tools then count as closed-world.
   */
  offline: z.boolean(),
  /**
   * It may use the session's SSH agent (its `"sshAgent": true`), which signs with the person's keys. Absent where the
   * grant gives it nothing (no agent, every Unix socket refused): its note says so.
   */
  sshAgent: z.boolean().optional(),
  /** Its limits; null where this machine cannot apply one. */
  memoryMb: z.number().nullable(),
  cpuSeconds: z.number().nullable(),
  maxProcesses: z.number().nullable(),
});
export type SandboxGrants = z.infer<typeof SandboxGrantsSchema>;

/** A folder a sandboxed server may read but not write, shown on its row with a grant (or why it is not offered). */
export const UnwritableFolderSchema = z.object({
  folder: z.string(),
  /**
   * refused: a call of it tried to write there and its sandbox refused; named: its arguments name the folder;
   * environment: a variable of its `env` names a file or folder there (`variable`, `path`), its data most likely.
   */
  seen: z.enum(['refused', 'named', 'environment']),
  /**
   * `problem`: why no grant makes a write to its path work as things are, in words that follow "but" (a part of the
   * path is a file, or its folder does not exist and the nearest one that does is not to be offered).
   */
  environment: z.object({ variable: z.string(), path: z.string(), problem: z.string().optional() }).optional(),
  /** Why it is not one click from being granted, as a sentence (null: "Allow … to write …" is offered). */
  notOffered: z.string().nullable(),
});
export type UnwritableFolder = z.infer<typeof UnwritableFolderSchema>;

export const McpServerStatusSchema = z.object({
  name: z.string(),
  transport: z.enum(['stdio', 'http']),
  enabled: z.boolean(),
  state: z.enum(['starting', 'connected', 'failed', 'stopped', 'disabled']),
  error: z.string().nullable(),
  /**
   * While it starts again after failing (a restart on its backoff, or Restart): why it failed last time, so that what
   * went wrong stays in sight while it is tried again. Absent otherwise.
   */
  previousError: z.string().optional(),
  /**
   * While it runs again after being restarted on its backoff: why it last went down. A server that keeps crashing soon
   * after each start is connected nearly all the time; this says it is not well. Absent otherwise.
   */
  lastFailure: z.string().optional(),
  /** While it starts: what the start is doing beyond starting the server ("fetching @scope/server …" for npx). */
  startingNote: z.string().optional(),
  /** The last lines (up to 40) of what it wrote to stderr, its secrets hidden: to see why it failed, or what it does. */
  stderrTail: z.string(),
  toolCount: z.number().int(),
  /** What it offers beside its tools: prompts and resources (the chat's `/` list; resources through two tools too). */
  offers: z.array(z.enum(['prompts', 'resources'])),
  /** What it says about how to use it (MCP's `instructions`), cleaned: for the person; the model is not given them. */
  instructions: z.string().nullable(),
  /** The prefix of its tools' names: the server's name, or `mcp-<name>` when built-in tools already use that. */
  toolPrefix: z.string(),
  /** null: it failed before its launch was planned (a package it could not fetch, a refused grant). */
  sandboxed: z.boolean().nullable(),
  sandboxNote: z.string().nullable(),
  /** A sandboxed server's grants and limits, as its last launch applied them. */
  sandboxGrants: SandboxGrantsSchema.nullable(),
  /** Hosts its sandbox refused this launch because they are not granted: each can be allowed for it. */
  refusedHosts: z.array(z.string()),
  /** Folders its sandbox kept it from writing this launch, or that its arguments name: each can be granted or says why not. */
  unwritableFolders: z.array(UnwritableFolderSchema),
  /** A remote server waiting for the person to sign in (OAuth): where to do it. */
  signInUrl: z.string().nullable(),
  /** It holds a remote server's OAuth tokens: the person can sign out. */
  signedIn: z.boolean(),
  breaker: z.enum(['closed', 'open', 'half-open', 'isolated']),
  /** While the breaker is open: when the next call is let through to try the server again (epoch ms). */
  breakerRetryAt: z.number().nullable(),
  restarts: z.number().int(),
  /** A failed server waiting out its backoff: when Portcullis tries it again (epoch ms). */
  nextRestartAt: z.number().nullable(),
  /**
   * A failed server its sandbox refused these hosts as it started, waiting for the person's decision on them (allow
   * one, or not) instead of being restarted on a timer to be refused again. Absent or empty: it waits for none.
   */
  waitingForDomains: z.array(z.string()).optional(),
  /**
   * Its `"trustedOutput": true` holds (a sandboxed stdio server that can reach nothing outside the computer): its
   * tools' output does not taint for being a server's words, only for what a call reached.
   */
  outputTrusted: z.boolean(),
  /**
   * Why its `"trustedOutput": true` is not used: for the whole server (remote, unsandboxed, granted a domain, not
   * offline), or, beside `outputTrusted`, for its tools that say they reach out (`openWorldHint: true`); null otherwise.
   */
  outputTrustNote: z.string().nullable(),
  /** Another app's fields in its entry that would let tools run unasked (`autoApprove`…), said to be unused. */
  ignoredApprovals: z.array(z.string()),
  /**
   * Fields of its entry Portcullis does not know, so not used, each with the one likely meant ("timeoutMS": did you
   * mean "timeoutMs"?); other hosts' own fields are left aside unsaid (unknown-server-fields.ts).
   */
  fieldWarnings: z.array(z.string()),
});
export type McpServerStatusInfo = z.infer<typeof McpServerStatusSchema>;

export const ToolCatalogSchema = z.object({
  tools: z.array(ToolInfoSchema),
  servers: z.array(McpServerStatusSchema),
  /** Problems with mcp.json, http-fetch.json or the pin file, one sentence each. */
  problems: z.array(z.string()),
  /** A hash of mcp.json as it is now ("" when missing): it changes when the file does, by whatever hand. */
  configVersion: z.string(),
});
export type ToolCatalog = z.infer<typeof ToolCatalogSchema>;
