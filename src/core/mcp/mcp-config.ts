import { z } from 'zod';
import { readJsonConfig } from '../config/read-json-config';
import { nearestToolName } from '../tools/nearest-tool-name';
import { otherUsersHome } from './home-path';

const OWN_HOME_ONLY = 'Portcullis expands only "~" and "~/…" (your own home folder): write the full path';

/** A folder or file of the config: `~name` and `~name/…` (another user's home folder to a shell) are refused. */
const pathField = z.string().refine((path) => otherUsersHome(path) === null, {
  error: (issue) => {
    const user = otherUsersHome(String(issue.input));
    return `is "${String(issue.input)}": a shell reads "~${user}" as user ${user}'s home folder; ${OWN_HOME_ONLY}`;
  },
});

/**
 * An `env` value: one that is a path in another user's home folder (`~name/…`) is refused, as `pathField`. Not a bare
 * `~name` (a value may as well be a word or a password that starts with "~"), and the value is not quoted.
 */
const envValue = z.string().refine((value) => otherUsersHome(value) === null || !value.includes('/'), {
  error: `is "~name/…", which a shell reads as a path in that user's home folder; ${OWN_HOME_ONLY}`,
});

/**
 * What a server may touch when it runs under the OS sandbox. Default: reading the system, the workspace and the places
 * runtimes keep their programs, not the rest of the home folder; writing nothing; no network.
 */
export const SandboxProfileSchema = z
  .object({
    /** Folders the server may write (absolute, `~/…` in the home folder, or relative to the workspace). */
    allowWrite: z.array(pathField.min(1)).default([]),
    /**
     * Folders and files of the home folder the server may read, written as `allowWrite` is. The rest of the home
     * folder is private to it, but for the workspace, its write grants, what its command line names and runtimes' folders.
     */
    allowRead: z.array(pathField.min(1)).default([]),
    /** `true`: it may read the whole home folder but credentials (as before the home folder was private). */
    readHome: z.boolean().default(false),
    /**
     * `true`: it may use the SSH agent of the session Portcullis runs in (`SSH_AUTH_SOCK`, passed to it), which signs
     * with your keys: git over SSH. Hidden from every other server, as GPG's agent, D-Bus and other daemons' sockets are.
     */
    sshAgent: z.boolean().default(false),
    /** Domains the server may reach; empty means no network at all. */
    allowedDomains: z.array(z.string().min(1)).default([]),
    /** Address-space limit for the server process, in MB. */
    memoryMb: z.number().int().positive().optional(),
    /** CPU-time limit for the server process, in seconds. */
    cpuSeconds: z.number().int().positive().optional(),
    /** Processes (threads included) the server and its children may have at once; contains fork bombs. */
    maxProcesses: z.number().int().positive().max(65_536).optional(),
  })
  .strict();
export type SandboxProfile = z.infer<typeof SandboxProfileSchema>;

/** Portcullis' own fields, which sit beside Claude Desktop's in each `mcpServers` entry. */
const portcullisFields = {
  enabled: z.boolean().default(true),
  /** Per-call inactivity timeout; progress notifications from the server reset it. */
  timeoutMs: z.number().int().positive().max(3_600_000).default(30_000),
  /** Hard ceiling for one call, progress or not, waiting its turn and retries included (not time the person spends answering the server). Default: 4 × timeoutMs. */
  maxTotalTimeoutMs: z.number().int().positive().max(86_400_000).optional(),
  /** Per-tool overrides of timeoutMs, keyed by the tool's name on the server (without the prefix). */
  toolTimeouts: z.record(z.string(), z.number().int().positive()).default({}),
  startupTimeoutMs: z.number().int().positive().default(30_000),
  /** Calls that may run at once; more wait in a short queue, beyond that they are refused. */
  maxConcurrent: z.number().int().positive().max(64).default(4),
  maxQueued: z.number().int().nonnegative().max(1_000).default(16),
  /** Retries after a transport failure; only read-only or idempotent tools are retried. */
  maxRetries: z.number().int().nonnegative().max(5).default(2),
  /** Consecutive transport failures that open the breaker, and how long it stays open. */
  breakerThreshold: z.number().int().positive().default(5),
  breakerCooldownMs: z.number().int().positive().default(30_000),
  /**
   * `false`: the server may not ask the person anything mid-call (MCP elicitation). It is told so when it connects,
   * as by a client without the capability: it offers no tools that need to ask, and a question it sends anyway is
   * refused unseen.
   */
  elicitation: z.boolean().default(true),
  /**
   * `false`: the server may not ask for the model's words (MCP sampling), told so as `elicitation: false` tells it.
   * Otherwise each request is shown to the person, who lets it run or not.
   */
  sampling: z.boolean().default(true),
  /** Its tools the person turned off, by their name on the server: never offered to the model, never run. */
  disabledTools: z.array(z.string().min(1)).default([]),
  /**
   * `true`: the person holds this server's words as trustworthy as their own files, so its tools' output does not
   * mark the conversation as holding untrusted content for coming from a server. What a call reached still does (a web
   * address in its arguments, a file outside the trusted folders). Used only for a stdio server that runs sandboxed
   * and offline, and not for its tools that say they reach out (`outputTrust`); its row says where it is not.
   */
  trustedOutput: z.boolean().default(false),
  /** `false` runs the server on the host without an OS sandbox (all its tools then ask). */
  sandbox: z.union([z.literal(false), SandboxProfileSchema]).default({ allowWrite: [], allowRead: [], readHome: false, sshAgent: false, allowedDomains: [] }),
};

const stdioServer = z
  .object({
    type: z.literal('stdio').optional(),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    /** Values of the form `secret:NAME` are read from the OS keychain at connect time. */
    env: z.record(z.string(), envValue).default({}),
    cwd: pathField.optional(),
    ...portcullisFields,
  })
  .passthrough();

/**
 * For a remote server whose sign-in does not let clients register themselves: the client registered for Portcullis
 * by the person (Claude Code's `oauth` block, plus `clientSecret`). With `callbackPort`, the sign-in returns to
 * `http://localhost:PORT/callback`, the redirect URI such a client is registered with.
 */
export const OAuthClientSchema = z
  .object({
    clientId: z.string().min(1).optional(),
    /** `secret:NAME`; a value pasted in the editor is moved to the OS keychain on save. */
    clientSecret: z.string().min(1).optional(),
    callbackPort: z.number().int().min(1).max(65_535).optional(),
    /** Asked for when the server's metadata names none. */
    scopes: z.string().min(1).optional(),
  })
  .passthrough();
export type OAuthClientConfig = z.infer<typeof OAuthClientSchema>;

const httpServer = z
  .object({
    /** Streamable HTTP, or the older HTTP+SSE (`sse`); with no type, Streamable HTTP falls back to SSE when refused. */
    type: z.enum(['http', 'streamable-http', 'streamableHttp', 'sse']).optional(),
    url: z.url({ protocol: /^https?$/ }),
    /** Values of the form `secret:NAME` (or `Bearer secret:NAME`) are read from the OS keychain at connect time. */
    headers: z.record(z.string(), z.string()).default({}),
    oauth: OAuthClientSchema.optional(),
    ...portcullisFields,
  })
  .passthrough();

export const McpServerConfigSchema = z.union([stdioServer, httpServer]);
export type McpServerConfig = z.infer<typeof McpServerConfigSchema>;
export type StdioServerConfig = z.infer<typeof stdioServer>;
export type HttpServerConfig = z.infer<typeof httpServer>;

export const SERVER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export const McpFileSchema = z.object({ mcpServers: z.record(z.string(), z.unknown()).default({}) }).passthrough();

export interface LoadedMcpConfig {
  servers: Map<string, McpServerConfig>;
  /** One sentence per problem, naming the file and the server; a broken entry skips that server only. */
  problems: string[];
  /** The file as a whole could not be read as a config (not JSON, not an object): it says nothing of any server. */
  unreadable?: true;
}

export function isStdio(config: McpServerConfig): config is StdioServerConfig {
  return 'command' in config;
}

/** What an unreadable file means at start; a reload keeps the servers already running instead (`McpManager.reload`). */
export const NONE_STARTED = 'no MCP servers were started from it';

/**
 * Reads `mcp.json` (Claude Desktop's `mcpServers` format, plus Portcullis' fields). Never throws: a missing file
 * means no servers; an unreadable file or a bad entry is reported in `problems` and the rest still loads.
 */
export function loadMcpConfig(file: string): LoadedMcpConfig {
  const servers = new Map<string, McpServerConfig>();
  const read = readJsonConfig(file);
  if (!read) return { servers, problems: [] };
  if (!read.ok) return { servers, problems: [`${file} is not valid JSON (${read.why}); ${NONE_STARTED}. Fix the file.`], unreadable: true };
  return parseMcpConfig(read.json, file);
}

export function parseMcpConfig(raw: unknown, file = 'mcp.json'): LoadedMcpConfig {
  const servers = new Map<string, McpServerConfig>();
  const problems: string[] = [];
  const top = McpFileSchema.safeParse(raw);
  if (!top.success) {
    return { servers, problems: [`${file} must be an object with an "mcpServers" object; ${NONE_STARTED}.`], unreadable: true };
  }
  // VS Code's mcp.json names the same entries "servers": said plainly, rather than read as a file with no servers.
  const vsCode = (raw as Record<string, unknown>).servers;
  if (!Object.hasOwn(raw as object, 'mcpServers') && vsCode && typeof vsCode === 'object' && Object.keys(vsCode).length > 0) {
    problems.push(`${file} has a "servers" section (VS Code's format) and no "mcpServers": rename "servers" to "mcpServers"; its entries can stay as they are.`);
  }
  // A server entry pasted without its "mcpServers" around it (as many READMEs show one) would be no server at all.
  const astray = Object.entries(raw as Record<string, unknown>).filter(([key, value]) => key !== 'mcpServers' && looksLikeServer(value)).map(([key]) => `"${key}"`);
  if (astray.length > 0) {
    problems.push(`${file} has ${astray.join(', ')} at its top level, which ${astray.length === 1 ? 'reads as a server entry' : 'read as server entries'}: put ${astray.length === 1 ? 'it' : 'them'} inside "mcpServers": { … }.`);
  }
  for (const [name, entry] of Object.entries(top.data.mcpServers)) {
    if (!SERVER_NAME.test(name)) {
      problems.push(`${file}: server "${name}" was skipped: names may use only letters, digits, "-" and "_" (at most 64).`);
      continue;
    }
    // An entry with a command is judged as a stdio server, one with a URL as an HTTP one: the problem named is
    // that kind's (a union's own error would only say that neither fits).
    const kind = looksLikeServer(entry) ? ('command' in (entry as object) ? stdioServer : httpServer) : null;
    const parsed = kind ? kind.safeParse(entry) : null;
    if (!parsed?.success) {
      const issues = parsed?.error.issues.map(issueWords).join('; ') ?? needsCommandOrUrl(entry);
      problems.push(`${file}: server "${name}" was skipped: ${issues}${issues.endsWith('?') ? '' : '.'}`);
      continue;
    }
    // Cline's, Windsurf's and Roo Code's "disabled": true is the person's own choice in that app: kept, not started.
    if ((entry as { disabled?: unknown }).disabled === true && !('enabled' in (entry as object))) parsed.data.enabled = false;
    servers.set(name, parsed.data);
  }
  return { servers, problems };
}

/**
 * What is wrong with one field of an entry. A field the sandbox does not take (it is strict: a grant or limit mistyped
 * would otherwise be missing unseen) is named with the one likely meant ("allowWrites": did you mean "allowWrite"?).
 */
function issueWords(issue: z.core.$ZodIssue): string {
  const at = `"${issue.path.join('.')}"`;
  if (issue.code === 'unrecognized_keys') {
    const fields = Object.keys(SandboxProfileSchema.shape);
    return issue.keys.map((key) => {
      const meant = nearestToolName(key, fields);
      return `${at} does not take "${key}"${meant ? `: did you mean "${meant}"?` : ` (it takes ${fields.join(', ')})`}`;
    }).join('; ');
  }
  if (issue.code === 'invalid_union') {
    // `"sandbox": false | {…}`: the branch that got furthest into the value says what is wrong ("sandbox.readHome"),
    // where the union alone said "Invalid input" of the whole sandbox.
    const depth = (branch: z.core.$ZodIssue[]) => Math.max(0, ...branch.map((inner) => inner.path.length));
    const branches = [...issue.errors].sort((a, b) => depth(b) - depth(a));
    if (branches[0] && depth(branches[0]) > depth(branches[1] ?? [])) {
      return branches[0].map((inner) => issueWords({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue)).join('; ');
    }
  }
  return `${at} ${issue.message.replace(/^(Invalid input|Too small|Too big): /, '').replace(/^expected number to be /, 'must be ')}`;
}

/** Other apps' names for a remote server's address (Windsurf's `serverUrl`, Gemini CLI's `httpUrl`): said, to rename. */
const OTHER_URL_KEYS = ['serverUrl', 'httpUrl'];

function needsCommandOrUrl(entry: unknown): string {
  const other = entry !== null && typeof entry === 'object' ? OTHER_URL_KEYS.find((key) => key in entry) : undefined;
  return other ? `it gives its address as "${other}", which Portcullis calls "url": rename it` : 'it needs "command" (stdio) or "url" (HTTP)';
}

function looksLikeServer(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && ('command' in value || 'url' in value);
}

/** The timeout for one tool on a server: its override, or the server's. */
export function callTimeouts(config: McpServerConfig, tool: string): { idleMs: number; totalMs: number } {
  const idleMs = config.toolTimeouts[tool] ?? config.timeoutMs;
  return { idleMs, totalMs: Math.max(idleMs, config.maxTotalTimeoutMs ?? idleMs * 4) };
}
