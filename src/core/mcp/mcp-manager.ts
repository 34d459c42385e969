import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerStatusInfo } from '../../shared/domain/tool-catalog';
import type { ToolAnnotations } from '../../shared/domain/tool-call';
import type { ElicitationAsker } from '../approvals/elicitation-gate';
import type { ServerSampling } from './server-sampling';
import type { SecretStore } from '../secrets/secret-store';
import { namespaceOf, type ToolDefinition } from '../tools/tool-definition';
import { sandboxWriteWarning } from './sandbox-write-warning';
import { writtenEnvironmentPaths } from './environment-paths';
import { unwritableFolders } from './unwritable-folders';
import type { ToolRegistry } from '../tools/tool-registry';
import { isStdio, loadMcpConfig, NONE_STARTED, type McpServerConfig } from './mcp-config';
import type { CommandWrapper } from './launch-plan';
import { McpConnection } from './mcp-connection';
import type { ServerEntry } from './mcp-server-entry';
import { McpToolRunner } from './mcp-tool-runner';
import { secretNamesIn } from './secret-references';
import type { Revocation } from './oauth/revoke-tokens';
import type { OAuthCallbackServer } from './oauth/oauth-callback-server';
import { runningServerStatus, turnedOffServerStatus } from './server-status';
import { sortListedTools } from './sort-listed-tools';
import { toolAbsence, type ToolAbsence } from './tool-absence';
import { unknownFieldNotes } from './unknown-server-fields';
import type { ToolPinStore } from './tool-pins';
import type { Tracer } from '../telemetry/tracer';
import type { Logger } from '../logging/logger';
import { reapOrphanedGroups } from './orphaned-groups';
import { NO_WRITE_GRANT_RULES, type WriteGrantRefusal } from '../sandbox/write-grant-rules';

export interface McpManagerDeps {
  registry: ToolRegistry;
  secrets?: SecretStore;
  wrapCommand?: CommandWrapper;
  clientVersion: string;
  restartBaseMs?: number;
  /** Where remote servers' OAuth sign-ins return. */
  oauth?: OAuthCallbackServer;
  /** Pins each tool's definition; a changed one, or one added after its server's first list, is held back until approved. */
  pins?: ToolPinStore;
  /** Records each request to a server as an `mcp` span. */
  tracer?: Tracer;
  /** Who answers servers' questions to the person (MCP elicitation); without it, servers cannot ask. */
  elicitation?: ElicitationAsker;
  /** Runs servers' requests for the model's words (MCP sampling); without it, servers cannot ask for them. */
  sampling?: ServerSampling;
  /** Why a folder is never one click from being writable for a server (null: the page may offer it); default: none is. */
  writeGrantRefusal?(folder: string): WriteGrantRefusal | null;
  /** Where what goes wrong out of any call's sight is noted. */
  logger?: Logger;
  onChange?(): void;
  /** The person approved or rejected a held-back tool's definition: for the audit log. */
  /**
   * `hash`: the definition decided on (definitionHash in tool-pins.ts); `pinnedHash`: the one approved before it, absent
   * for a tool its server added later: the audit chain says which definition was accepted, not only that one was.
   */
  onDefinitionDecided?(decision: { tool: string; approved: boolean; definition: 'changed' | 'new'; hash: string; pinnedHash?: string }): void;
}

/** Two configs that differ at most in which tools are turned off: the running server stays as it is. */
const withoutDisabledTools = ({ disabledTools: _disabled, ...rest }: McpServerConfig) => JSON.stringify(rest);

/**
 * The MCP servers of one runtime: starts each enabled server from the config, registers its tools as
 * `server.tool` with the server's runner, and reports each server's state. Servers are independent: one
 * failing, hanging or crashing never blocks the others or the runtime.
 */
export class McpManager {
  readonly problems: string[] = [];
  /** The problems the config file itself had when it was last read; a reload replaces them. */
  private fileProblems: string[] = [];
  private readonly servers = new Map<string, ServerEntry>();
  private readonly disabled = new Map<string, McpServerConfig>();
  /** Each server's place in mcp.json: the page lists them so, however often one restarts or is turned off. */
  private readonly fileOrder = new Map<string, number>();

  constructor(private readonly deps: McpManagerDeps) {}

  /** The servers this runtime starts, when not all of mcp.json's (a command that needs one server). */
  private only: ReadonlySet<string> | null = null;

  /**
   * Loads `file` and starts its servers (only those named in `only`, when given, now and at each reload); a broken
   * file or entry is recorded in `problems`, never thrown.
   */
  startFromFile(file: string, only?: readonly string[]): void {
    this.only = only ? new Set(only) : null;
    // What the servers of a Portcullis that was killed left running is ended (told at once, killed a second later).
    void reapOrphanedGroups().then((pids) => {
      if (pids.length > 0) this.deps.logger?.warn({ event: 'mcp.orphans_reaped', pids }, `ended ${pids.length} processes that MCP servers of a Portcullis that was killed left running`);
    });
    const { servers, problems } = this.load(file);
    this.fileProblems = problems;
    this.problems.push(...problems);
    this.takeOrder(servers.keys());
    for (const [name, config] of servers) {
      this.warnUnknownFields(name, config);
      this.add(name, config);
    }
  }

  /** A field of its entry not used (a mistyped "timeoutMS"), said in the log as it is read; its row says it too. */
  private warnUnknownFields(name: string, config: McpServerConfig): void {
    for (const warning of unknownFieldNotes(config)) this.deps.logger?.warn({ event: 'mcp.unknown_field', server: name }, `mcp.json, server "${name}": ${warning}`);
  }

  private load(file: string): ReturnType<typeof loadMcpConfig> {
    const loaded = loadMcpConfig(file);
    const { only } = this;
    return only ? { ...loaded, servers: new Map([...loaded.servers].filter(([name]) => only.has(name))) } : loaded;
  }

  private takeOrder(names: Iterable<string>): void {
    this.fileOrder.clear();
    for (const name of names) this.fileOrder.set(name, this.fileOrder.size);
  }

  /**
   * Reads `file` again (after an edit): servers whose entry is unchanged keep running; removed or changed ones stop
   * and their tools go; new and changed ones start.
   */
  async reload(file: string): Promise<void> {
    const loaded = this.load(file);
    const { servers: next, unreadable } = loaded;
    // Unreadable now, it stops nothing: the problem says the servers run on, not that none were started.
    const problems = unreadable ? loaded.problems.map((p) => p.replace(NONE_STARTED, 'the servers keep running as they were until it reads again')) : loaded.problems;
    this.problems.splice(0, this.problems.length, ...this.problems.filter((p) => !this.fileProblems.includes(p)), ...problems);
    this.fileProblems = problems;
    // Saved half-written in another editor: said, and the servers keep running until the file reads again.
    if (unreadable) return this.deps.onChange?.();
    this.takeOrder(next.keys());
    const same = (a: McpServerConfig | undefined, b: McpServerConfig) => a !== undefined && JSON.stringify(a) === JSON.stringify(b);
    for (const [name, entry] of [...this.servers]) {
      const wanted = next.get(name);
      if (!wanted || withoutDisabledTools(wanted) !== withoutDisabledTools(entry.config)) await this.remove(name, !wanted ? 'removed from mcp.json' : wanted.enabled ? 'restarted with its changed settings' : 'turned off');
      else if (!same(wanted, entry.config)) {
        entry.config = wanted;
        this.syncTools(entry, entry.listed);
      }
    }
    for (const [name, config] of [...this.disabled]) if (!same(next.get(name), config)) this.disabled.delete(name);
    for (const [name, config] of next) {
      if (this.servers.has(name) || this.disabled.has(name)) continue;
      this.warnUnknownFields(name, config);
      this.add(name, config);
    }
    this.deps.onChange?.();
  }

  /** Stops a running server and starts it again at once, its backoff forgotten. False when no such server runs. */
  async restart(name: string): Promise<boolean> {
    const entry = this.servers.get(name);
    if (!entry) return false;
    const failedWith = entry.connection.state === 'failed' ? entry.connection.error : null;
    await this.remove(name, 'restarted');
    this.add(name, entry.config);
    // Restarted after failing: why it failed stays in sight while it starts, as after a restart on its backoff.
    const started = this.servers.get(name)?.connection;
    if (started && failedWith && started.state === 'starting') started.previousError = failedWith;
    this.deps.onChange?.();
    return true;
  }

  /**
   * The person does not let a server that waits for their decision on a refused host reach it: it stays stopped,
   * saying so (`McpConnection.decline`). False when no such server waits.
   */
  declineWaiting(name: string): boolean {
    const declined = this.servers.get(name)?.connection.decline() ?? false;
    if (declined) this.deps.onChange?.();
    return declined;
  }

  /**
   * A secret was just set: each server that failed to start and names it (`secret:NAME` in its env, headers or
   * oauth) starts again at once rather than at the end of a backoff of up to 30 s, so the person who set it because
   * the page said it was missing sees the server come up. The names of those restarted.
   */
  async retryWaitingOn(secret: string): Promise<string[]> {
    const waiting = [...this.servers].filter(([, entry]) => entry.connection.state === 'failed' && secretNamesIn(entry.config).has(secret)).map(([name]) => name);
    for (const name of waiting) await this.restart(name);
    return waiting;
  }

  /**
   * Revokes a remote server's OAuth tokens, forgets them and its registration, then starts it again: it asks for a
   * new sign-in. Null when it is not signed in.
   */
  async signOut(name: string): Promise<Revocation | null> {
    const entry = this.servers.get(name);
    if (!entry?.connection.signedIn) return null;
    const revocation = await entry.connection.signOut();
    await this.restart(name);
    return revocation;
  }

  /** Stops a server for good; `because` is said to a call it cuts short ("was turned off during …"). */
  private async remove(name: string, because: string): Promise<void> {
    const entry = this.servers.get(name);
    if (!entry) return;
    this.servers.delete(name);
    for (const tool of entry.tools.keys()) this.deps.registry.unregister(tool);
    await entry.connection.dispose(because);
  }

  add(name: string, config: McpServerConfig): void {
    if (this.servers.has(name) || this.disabled.has(name)) {
      this.problems.push(`MCP server "${name}" is configured twice; the second one was skipped.`);
      return;
    }
    const namespace = this.namespaceFor(name);
    if (!namespace) {
      this.problems.push(`MCP server "${name}" was skipped: both ${name}.* and mcp-${name}.* are taken by other tools. Rename it in mcp.json.`);
      return;
    }
    if (!config.enabled) {
      this.disabled.set(name, config);
      return;
    }
    const tools = new Map<string, ToolDefinition>();
    const connection: McpConnection = new McpConnection(name, config, {
      clientVersion: this.deps.clientVersion,
      ...(this.deps.secrets ? { secrets: this.deps.secrets } : {}),
      ...(this.deps.wrapCommand ? { wrapCommand: this.deps.wrapCommand } : {}),
      ...(this.deps.restartBaseMs ? { restartBaseMs: this.deps.restartBaseMs } : {}),
      ...(this.deps.oauth ? { oauth: this.deps.oauth } : {}),
      ...(this.deps.elicitation ? { elicitation: this.deps.elicitation } : {}),
      ...(this.deps.sampling ? { sampling: this.deps.sampling } : {}),
      ...(this.deps.logger ? { logger: this.deps.logger } : {}),
      onTools: (listed) => this.syncTools(entry, listed),
      onStateChange: () => this.deps.onChange?.(),
    });
    const runner = new McpToolRunner(connection, (toolName) => {
      const tool = tools.get(toolName);
      if (!tool?.remoteName) return undefined;
      return { remoteName: tool.remoteName, repeatable: tool.annotations.readOnlyHint === true || tool.annotations.idempotentHint === true };
    }, this.deps.tracer, (folder) => this.writeGrantRefusal(folder));
    const entry: ServerEntry = { connection, namespace, runner, tools, heldBack: new Map(), turnedOff: new Map(), listed: [], config };
    this.servers.set(name, entry);
    connection.start();
  }

  /**
   * The prefix for a server's tools: its name, so that a pasted Claude Desktop config works as is, or, when
   * Portcullis' own tools already use that (a server called "memory" beside the built-in memory.* tools),
   * `mcp-<name>`, so that neither the model nor a policy rule can mistake one for the other.
   */
  private namespaceFor(name: string): string | undefined {
    const builtIn = new Set(this.deps.registry.list().filter((tool) => !tool.server).map((tool) => namespaceOf(tool.name)));
    const taken = (namespace: string) => builtIn.has(namespace) || [...this.servers.values()].some((entry) => entry.namespace === namespace);
    return [name, `mcp-${name}`].find((namespace) => !taken(namespace));
  }

  /** Resolves once every server has connected or failed at least once (or `timeoutMs` passes). */
  async settled(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const starting = [...this.servers.values()].some((s) => s.connection.state === 'starting' && s.connection.restarts === 0);
      if (!starting) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Tools held back because their definition changed, with the server that offers them. */
  heldBack(): ToolDefinition[] {
    return [...this.servers.values()].flatMap((s) => [...s.heldBack.values()]);
  }

  /** Tools the person turned off. */
  turnedOff(): ToolDefinition[] {
    return [...this.servers.values()].flatMap((s) => [...s.turnedOff.values()]);
  }

  /** Why a tool by this name is not offered now, and its code, when an MCP server explains it (`toolAbsence`). */
  absence(name: string): ToolAbsence | undefined {
    return toolAbsence(name, this.servers, this.disabled, this.deps.pins);
  }

  /** Why a tool by this name is not offered now, in a sentence, when an MCP server explains it. */
  whyAbsent(name: string): string | undefined {
    return this.absence(name)?.message;
  }

  /** The server and on-server name of one of its tools, listed now (offered, held back or turned off). */
  toolOrigin(name: string): { server: string; remoteName: string } | undefined {
    for (const [server, entry] of this.servers) {
      const tool = entry.tools.get(name) ?? entry.heldBack.get(name) ?? entry.turnedOff.get(name);
      if (tool?.remoteName) return { server, remoteName: tool.remoteName };
    }
    return undefined;
  }

  /**
   * The definition the person approved for a held-back tool (its pin; null for a tool its server added later, never
   * approved), whether they rejected what it offers now, and the hash of what it offers (`waitingHash`: what approving
   * names; null when nothing waits). Undefined for a tool nothing is known of.
   */
  approvedDefinition(name: string): { approved: { description: string; inputSchema: Record<string, unknown>; annotations?: ToolAnnotations } | null; rejected: boolean; waitingHash: string | null; pinsLost?: true } | undefined {
    const arrival = this.deps.pins?.arrival(name);
    if (arrival) return { approved: null, rejected: arrival.rejected === true, waitingHash: arrival.hash, ...(arrival.pinsLost ? { pinsLost: true as const } : {}) };
    const pin = this.deps.pins?.get(name);
    if (!pin) return undefined;
    return { approved: { description: pin.description, inputSchema: pin.inputSchema, ...(pin.annotations ? { annotations: pin.annotations as ToolAnnotations } : {}) }, rejected: pin.pending?.rejected === true, waitingHash: pin.pending?.hash ?? null };
  }

  /** The person refuses a changed tool's new definition: it stays held back, and is no longer asked about. */
  rejectChangedTool(name: string): boolean {
    const waiting = this.waitingDefinition(name);
    if (!waiting || !this.deps.pins?.reject(name)) return false;
    this.deps.onDefinitionDecided?.({ tool: name, approved: false, ...waiting });
    this.deps.onChange?.();
    return true;
  }

  /**
   * The person re-approves a changed tool's definition they were shown, named by its hash (`shown`, as the catalog
   * gives it): it is pinned and the tool offered again. One its server offered since is refused
   * (DefinitionChangedAgainError): the tool stays held back.
   */
  approveChangedTool(name: string, shown: string): boolean {
    const waiting = this.waitingDefinition(name);
    if (!waiting || !this.deps.pins?.approve(name, shown)) return false;
    this.deps.onDefinitionDecided?.({ tool: name, approved: true, ...waiting });
    // Offered as its server lists it, checked against the pin just taken: never a definition other than the one approved.
    for (const entry of this.servers.values()) if (entry.heldBack.has(name)) this.syncTools(entry, entry.listed);
    this.deps.onChange?.();
    return true;
  }

  /** The definition of a tool waiting for the person's decision, by hash, and the one approved before it (none for a new tool). */
  private waitingDefinition(name: string): { definition: 'changed' | 'new'; hash: string; pinnedHash?: string } | undefined {
    const arrival = this.deps.pins?.arrival(name);
    if (arrival) return { definition: 'new', hash: arrival.hash };
    const pin = this.deps.pins?.get(name);
    return pin?.pending ? { definition: 'changed', hash: pin.pending.hash, pinnedHash: pin.hash } : undefined;
  }

  /**
   * tool-pins.json changed under this process (`portcullis tools approve` or `reject` run beside it): each
   * server's tools are checked against the pins again, so a tool approved there is offered here at once.
   */
  pinsChanged(): void {
    if (!this.deps.pins) return;
    for (const entry of this.servers.values()) this.syncTools(entry, entry.listed);
  }

  /**
   * What its server's sandbox will refuse of a call's writes, for its approval: null for a built-in tool, one that
   * says it only reads, and a server outside the sandbox.
   */
  sandboxWarning(tool: ToolDefinition, args: Record<string, unknown>): string | null {
    if (tool.annotations.readOnlyHint === true || !tool.server) return null;
    const entry = this.servers.get(tool.server);
    if (!entry) return null;
    // The folders its row offers to grant in one click: the warning names that button only where there is one.
    const offered = this.status().find((s) => s.name === tool.server)?.unwritableFolders.filter((f) => f.notOffered === null).map((f) => f.folder) ?? [];
    // Its data file, as its env names it (each change server-memory makes writes there), each with its own grant or
    // why none is offered: on the row it may be listed as refused instead, once a call was.
    const grants = entry.connection.sandboxGrants;
    const config = entry.connection.config;
    const environment = grants && isStdio(config)
      ? unwritableFolders({ server: tool.server, refused: [], named: [], environment: writtenEnvironmentPaths(config.env), grants, refusal: (folder) => this.writeGrantRefusal(folder) })
      : [];
    return sandboxWriteWarning(tool.server, grants, args, offered, environment);
  }

  /** The servers running now (connected or not), in config order. */
  connections(): McpConnection[] {
    return [...this.servers.values()].map((entry) => entry.connection);
  }

  private writeGrantRefusal(folder: string): WriteGrantRefusal | null {
    return this.deps.writeGrantRefusal ? this.deps.writeGrantRefusal(folder) : NO_WRITE_GRANT_RULES;
  }

  /** Each server's state as the Tools & servers page and `portcullis tools` show it. */
  status(): McpServerStatusInfo[] {
    const refusal = (folder: string) => this.writeGrantRefusal(folder);
    const out = [
      ...[...this.servers].map(([name, entry]) => runningServerStatus(name, entry, refusal)),
      ...[...this.disabled].map(([name, config]) => turnedOffServerStatus(name, config)),
    ];
    // A restarted or re-enabled server is added anew (last in the map); listed where the file has it, it stays put.
    const place = (name: string) => this.fileOrder.get(name) ?? Number.MAX_SAFE_INTEGER;
    return out.sort((a, b) => place(a.name) - place(b.name));
  }

  async dispose(): Promise<void> {
    for (const [, entry] of this.servers) for (const name of entry.tools.keys()) this.deps.registry.unregister(name);
    await Promise.all([...this.servers.values()].map((s) => s.connection.dispose()));
    this.servers.clear();
  }

  /** Registers the server's current tools; tools it no longer lists are removed. */
  private syncTools(entry: ServerEntry, listed: Tool[]): void {
    const { registry } = this.deps;
    const server = entry.connection.name;
    if (this.servers.get(server) !== entry) return; // removed (turned off, restarted) while it listed its tools
    entry.listed = listed;
    const { offered: next, heldBack, turnedOff } = sortListedTools(entry, listed, this.deps.pins);
    entry.heldBack = heldBack;
    entry.turnedOff = turnedOff;
    for (const name of entry.tools.keys()) if (!next.has(name)) registry.unregister(name);
    for (const [name, definition] of next) {
      const existing = registry.get(name);
      if (existing && existing.runner !== entry.runner) {
        this.problems.push(`${name} from the ${server} server clashes with another tool of that name; it was skipped.`);
        next.delete(name);
        continue;
      }
      if (existing) registry.unregister(name);
      registry.register(definition, entry.runner);
    }
    entry.tools.clear();
    for (const [name, definition] of next) entry.tools.set(name, definition);
    this.deps.onChange?.();
  }
}
