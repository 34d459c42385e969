import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ErrorCode,
  McpError,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpPrompt } from '../../shared/domain/mcp-prompt';
import type { McpResource } from '../../shared/domain/mcp-resource';
import type { SandboxGrants } from '../../shared/domain/tool-catalog';
import { limitInWords } from '../../shared/durations';
import { AppError } from '../../shared/errors';
import type { ElicitationAsker } from '../approvals/elicitation-gate';
import type { CallTimers } from '../tools/call-timers';
import { stripControlChars } from '../tools/output-sanitizer';
import { SandboxNotMade } from '../sandbox/sandbox-not-made';
import { OutputTail } from '../sandbox/worker-launcher';
import type { SecretStore } from '../secrets/secret-store';
import { isOversizedAnswer } from './bounded-fetch';
import { describeConnectFailure, otherProtocolVersion } from './connect-failure';
import { ProgramNotInstalled } from './find-program';
import type { ServerSampling } from './server-sampling';
import { askPerson, sample, type AskingServer } from './server-requests';
import { isStdio, type McpServerConfig } from './mcp-config';
import type { OAuthCallbackServer } from './oauth/oauth-callback-server';
import type { Revocation } from './oauth/revoke-tokens';
import { describeExit, ExitRecordingStdioTransport } from './process-exit';
import { ServerLists } from './server-lists';
import { createTransport, type Launch } from './connection-transport';
import type { CommandWrapper } from './launch-plan';
import { LaunchSandbox } from './launch-sandbox';
import { ServerSignIn } from './server-sign-in';
import { listServerTools, type ListedTools, ToolListNotMcp } from './server-tools';
import { protocolErrorOutcome } from './protocol-error-outcome';
import type { McpResourceTemplate } from './server-resources';
import type { FilledPrompt, PromptCompletion, TemplateCompletion } from './server-prompts';
import { EndingSSEClientTransport, EndingStreamableHTTPClientTransport } from './remote-transports';
import { answersAfterProgress } from './answers-after-progress';
import { CoalescedRuns } from './coalesced-runs';
import type { Logger } from '../logging/logger';
import { hiddenTexts, redact, redactDeep } from './secret-references';
import { lastMeaningfulLine } from './stderr-reason';
import { outputSchemaValidator } from './output-schema-validator';

/** Enough for any server's instructions on the Tools & servers page. */
const MAX_INSTRUCTIONS = 8_000;
/** The least time between two re-lists of a server's tools that keeps announcing changes. */
const RELIST_REST_MS = 1_000;

export type ServerState = 'starting' | 'connected' | 'failed' | 'stopped';

/** One of the server's calls in flight, as the runner registers it while it runs. */
export interface RunningCall {
  /** Its time limits, held while the server waits for the person's answer to a question. */
  timers: CallTimers;
  /** Aborted when the call ends, so a question asked during it is withdrawn; made only when a question comes. */
  ended?: AbortController;
  /** The governed call it is, when the gateway made it: what a question during it is about. */
  about?: { toolCallId: string; toolName: string; conversationId: string };
  /** Adds an event to the span of the call's request in flight, when it is traced: a question goes in its trace. */
  traceEvent?: (name: string, attributes: Record<string, string | number>) => void;
  /** The methods of the server's requests Portcullis refused unread for their size while it ran: should it fail, it says so. */
  refusedRequests?: string[];
}

export interface ConnectionDeps {
  secrets?: SecretStore;
  wrapCommand?: CommandWrapper;
  clientVersion: string;
  /** Where remote servers' OAuth sign-ins return; without it, a server that wants one fails with a 401. */
  oauth?: OAuthCallbackServer;
  /** Told each time the server (re)connects with its current tool list. */
  onTools(tools: Tool[]): void;
  onStateChange?(): void;
  /** Who answers the server's questions to the person (MCP elicitation); without it, the server is told it cannot ask. */
  elicitation?: ElicitationAsker;
  /** Runs the server's requests for the model's words (MCP sampling); without it, the server is told it cannot. */
  sampling?: ServerSampling;
  /** Where what went wrong out of any call's sight is noted (a remote session that could not be ended). */
  logger?: Logger;
  /** Restart delays: base × 2^attempt, capped. */
  restartBaseMs?: number;
  restartMaxMs?: number;
}

/** How long a server runs before a crash counts as a new trouble rather than the same one again (its backoff starts over). */
const STABLE_AFTER_MS = 60_000;

/** Connections made by any server in this process, to tell one from another (`listVersion`). */
let connectionsMade = 0;

/**
 * One MCP server: starts it, lists its tools, and keeps it alive. A server that fails to start, exits or speaks
 * malformed JSON-RPC is reported with the tail of its stderr and restarted with backoff; its trouble stays here.
 */
export class McpConnection {
  state: ServerState = 'starting';
  error: string | null = null;
  /** Why it failed before the start under way (its `error` then): the page keeps it in sight while it starts again. */
  previousError: string | null = null;
  /**
   * Why it last went down (its `error` then), kept once it runs again: a server that crashes a few seconds after each
   * start is restarted at once and reads as connected nearly all the time, with nothing said of it.
   */
  lastFailure: string | null = null;
  /** What the start under way is doing when it is more than starting the server (fetching its packages). */
  startingNote: string | null = null;
  restarts = 0;
  /** When the next automatic restart starts (epoch ms), while the server waits out its backoff. */
  nextRestartAt: number | null = null;
  /**
   * The hosts its sandbox refused it as it started, for want of a grant the person has not made: it is not restarted
   * on a timer (it would only be refused again, filling its output and the page), but waits for their decision.
   * Allowing one changes mcp.json, which starts it again with the grant; declining leaves it stopped (`decline`).
   */
  waitingFor: string[] = [];
  toolCount = 0;
  /** One line for each tool its last list held that breaks MCP, left out of its tools (`server-tools.ts`). */
  leftOutTools: string[] = [];
  /** What it offers beside tools, as it said when it connected. */
  offers: Array<'prompts' | 'resources'> = [];
  /** What it says about how to use it (MCP's `instructions`), cleaned: shown to the person, never given to the model. */
  instructions: string | null = null;
  /** Its last connection was dropped for malformed or oversized JSON-RPC: a call that met that would meet it again. */
  misbehaved = false;
  /** Notifications of its current run dropped for breaking MCP (`noteDroppedNotification`). */
  private droppedNotifications = 0;
  private client: Client | null = null;
  private readonly lists: ServerLists;
  /** Which connection of the process's this is (`connectionsMade`), once it connected: a restarted server's lists are others. */
  private connectionNumber = 0;
  private stderr = new OutputTail(8_000);
  /** What the last failed attempt wrote to stderr, kept while the next attempt starts. */
  private lastStderr = '';
  /** What its secrets look like written out (`hiddenTexts`), worked out when they are told. */
  private hidden: string[] = [];
  private attempt = 0;
  /** When it last connected (epoch ms): its backoff starts over only once it has run a while since. */
  private connectedAt: number | null = null;
  /** Whether its last failure is restarted on its own: not one that only an edit of mcp.json or Restart can change (`SandboxNotMade`, `ProgramNotInstalled`). */
  private retried = true;
  private restartTimer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];
  private disposed = false;
  /** Why it was stopped for good, when the person did it: "turned off", "removed from mcp.json", "restarted". */
  private stoppedBecause: string | null = null;
  private generation = 0;
  private releaseLaunch: (() => Promise<void>) | undefined;
  private readonly launch = new LaunchSandbox();
  private readonly signIn: ServerSignIn;
  /** A remote server that speaks the older HTTP+SSE transport: `"type": "sse"`, or learned from its first answer. */
  private legacySse: boolean;
  private readonly running = new Set<RunningCall>();
  /** What its questions to the person and its requests for the model's words are told of it (`server-requests.ts`). */
  private readonly asking: AskingServer;

  constructor(
    readonly name: string,
    readonly config: McpServerConfig,
    private readonly deps: ConnectionDeps,
  ) {
    this.legacySse = !isStdio(config) && config.type === 'sse';
    this.asking = { name, sandboxed: () => this.sandboxed === true, running: this.running, clean: (text) => this.cleanText(text), redact: (text) => this.redact(text) };
    this.lists = new ServerLists({ name, timeoutMs: config.timeoutMs, ready: (signal) => this.ready(signal), clean: (text) => this.cleanText(text) });
    this.signIn = new ServerSignIn({
      name, config, callback: deps.oauth,
      superseded: (generation) => this.superseded(generation),
      failed: (reason) => this.setState('failed', reason),
      connect: () => this.connect(),
    });
  }

  start(): void {
    void this.connect();
  }

  /** The end of its stderr as error messages quote it: five lines. */
  get stderrTail(): string {
    return this.lastOutput(5);
  }

  /** Its last `lines` lines of stderr (of the current run, else the last failed one), its secrets hidden. */
  lastOutput(lines: number): string {
    const text = this.stderr.toString().trim() || this.lastStderr;
    return redact(text, this.hidden).trim().split('\n').slice(-lines).join('\n');
  }

  /** Hides the secrets this server was given from anything it sends back. */
  redact<T>(value: T): T {
    return redactDeep(value, this.hidden) as T;
  }

  /** Registers a call in flight until the returned function is called. */
  track(call: RunningCall): () => void {
    this.running.add(call);
    return () => void this.running.delete(call);
  }

  /** The connected client now, or null where `ready` would wait or fail: a call takes it without `ready`'s turn of the event loop. */
  get connectedClient(): Client | null {
    return !this.disposed && this.state === 'connected' ? this.client : null;
  }

  /**
   * The connected client, waiting while the server starts; fails at once if it is down (unless `throughRestart`)
   * or the signal aborts. `during`: the call a retry continues, which the failure then names.
   */
  async ready(signal: AbortSignal, throughRestart = false, during?: string): Promise<Client> {
    const restarts = this.restarts;
    while (!this.disposed) {
      if (this.state === 'connected' && this.client) return this.client;
      // A retry waits out the server's next automatic restart (as long as the call's own timers allow): retried at
      // once, it would only meet the server still down. A restart that fails too ends the wait.
      const comingBack = throughRestart && this.state === 'failed' && this.nextRestartAt !== null && this.restarts === restarts;
      if ((this.state === 'failed' && !comingBack) || this.state === 'stopped') throw this.unavailable(during);
      if (signal.aborted) throw signal.reason;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.waiters.push(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
    throw this.unavailable(during);
  }

  unavailable(during?: string): AppError {
    // Stopped by the person (or for a change of its config): that is the whole story, its old output is no part of it.
    if (this.stoppedBecause) {
      return new AppError('MCP_SERVER_UNAVAILABLE', `The ${this.name} MCP server was ${this.stoppedBecause}${during ? ` during ${during}, which did not finish` : ''}.`);
    }
    const why = this.error ?? 'it is not running';
    // The line its error already quotes is not said twice.
    const said = lastMeaningfulLine(this.stderrTail);
    const tail = said && why.includes(said) ? '' : this.stderrTail;
    const restart = this.disposed || this.signInUrl || !this.retried ? '' : ` Portcullis ${isStdio(this.config) ? 'restarts it' : 'reconnects to it'} automatically with backoff.`;
    return new AppError(
      'MCP_SERVER_UNAVAILABLE',
      `The ${this.name} MCP server ${during ? `stopped during ${during}` : 'is unavailable'}: ${why}.${tail ? ` Its last output: ${tail}${/[.!?]$/.test(tail) ? '' : '.'}` : ''}${restart}`,
    );
  }

  /** Stops it for good. `because`: what the person did ("turned off"), said to a call it cuts short. */
  async dispose(because?: string): Promise<void> {
    this.disposed = true;
    this.stoppedBecause = because ?? null;
    this.state = 'stopped';
    this.nextRestartAt = null;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.wake();
    const client = this.client;
    this.client = null;
    // A remote server is let have the cancels on their way and told the session is over, within a bound.
    const transport = client?.transport;
    if (transport instanceof EndingStreamableHTTPClientTransport || transport instanceof EndingSSEClientTransport) {
      const problem = await transport.end();
      if (problem) this.deps.logger?.warn({ event: 'mcp.session_end', server: this.name }, `The ${this.name} MCP server: ${problem}`);
    }
    // The SDK waits 2 s for a server to leave after stdin closes, sends SIGTERM, waits 2 s more, then SIGKILL: restart,
    // turning it off and quitting waited 4 s on a server that ignores both. It is asked to stop sooner, and one that
    // had its stdin closed and a SIGTERM and is still there a second later is killed (with what it started).
    const stdio = transport instanceof ExitRecordingStdioTransport ? transport : null;
    const nudge = stdio ? setTimeout(() => stdio.signal('SIGTERM'), DISPOSE_NUDGE_MS) : undefined;
    const kill = stdio ? setTimeout(() => stdio.signal('SIGKILL'), DISPOSE_NUDGE_MS + DISPOSE_KILL_AFTER_MS) : undefined;
    await client?.close().catch(() => undefined);
    clearTimeout(nudge);
    clearTimeout(kill);
    await this.release();
  }

  /** Frees what the last launch holds; its process and any it left behind are killed. */
  private async release(): Promise<void> {
    const release = this.releaseLaunch;
    this.releaseLaunch = undefined;
    await release?.().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.disposed) return;
    const generation = ++this.generation;
    this.nextRestartAt = null;
    this.waitingFor = [];
    this.previousError = this.state === 'failed' ? this.error : null;
    this.leftOutTools = [];
    this.droppedNotifications = 0;
    this.setState('starting', null);
    this.stderr = new OutputTail(8_000);
    let client: Client | null = null;
    try {
      client = await this.connectClient(generation);
      if (this.superseded(generation)) return void (await client.close()); // stopped or superseded while it waited
      const { tools, leftOut } = await this.listAllTools(client);
      if (this.superseded(generation)) return void (await client.close());
      this.client = client;
      this.leftOutTools = leftOut;
      this.connectedAt = Date.now();
      this.misbehaved = false;
      this.toolCount = tools.length;
      const capabilities = client.getServerCapabilities();
      this.offers = (['prompts', 'resources'] as const).filter((offer) => capabilities?.[offer] !== undefined);
      this.instructions = this.cleanText(client.getInstructions() ?? '').trim().slice(0, MAX_INSTRUCTIONS) || null;
      this.deps.onTools(tools);
      this.connectionNumber = ++connectionsMade;
      this.previousError = null;
      this.setState('connected', null);
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof UnauthorizedError && this.signIn.url) {
        await client?.close().catch(() => undefined);
        await this.release();
        this.signIn.waitForBrowser(generation);
        return;
      }
      // Said before the client is closed: closing ends the process, and its exit ("it was killed (SIGKILL)") would
      // be taken for the reason, hiding the one that matters (it did not start in time).
      // A sandbox that cannot be made for it is not made by trying again, nor is a program that is not there found:
      // it waits for an edit of mcp.json or Restart.
      // Nor is a list of tools none of which follows MCP listed any better, nor another MCP version spoken, nor an
      // answer too large to read made smaller.
      const lasting = error instanceof SandboxNotMade || error instanceof ProgramNotInstalled || error instanceof ToolListNotMcp || otherProtocolVersion(error) !== null || isOversizedAnswer(error);
      this.onDown(generation, lasting ? 'not retried' : 'retried', describeConnectFailure(error, { oauthFailed: this.signIn.attempted && !(error instanceof UnauthorizedError), startupTimeoutMs: this.config.startupTimeoutMs, remote: !isStdio(this.config), sseAsked: !isStdio(this.config) && this.config.type === 'sse', redact: (text) => this.redact(text) }));
      await client?.close().catch(() => undefined);
    }
  }

  /**
   * A call was refused because the server wants a new sign-in (its tokens expired and could not be refreshed):
   * the connection is dropped and the server waits for the person, as at start. Returns the error for the call.
   */
  signInAgain(): AppError {
    if (this.state === 'connected' && this.signIn.url) {
      const client = this.client;
      this.generation++; // the old client's events no longer count
      this.client = null;
      void client?.close().catch(() => undefined);
      this.signIn.waitForBrowser(this.generation);
    }
    return new AppError('MCP_SERVER_UNAVAILABLE', `The ${this.name} MCP server wants you to sign in again: use Sign in on the Tools & servers page.`);
  }

  /** Whether the attempt or client of `generation` no longer counts: the connection stopped, or started another since. */
  private superseded(generation: number): boolean {
    return this.disposed || generation !== this.generation;
  }

  /** Whether its process runs sandboxed; null until a launch was planned (a server can fail before that). */
  get sandboxed(): boolean | null {
    return this.launch.sandboxed;
  }

  get sandboxNote(): string | undefined {
    return this.launch.note;
  }

  get sandboxGrants(): SandboxGrants | null {
    return this.launch.grants;
  }

  /** Hosts its sandbox refused this launch for want of a grant, which the person could allow. */
  get refusedHosts(): string[] {
    return this.launch.refusedHosts;
  }

  /**
   * The person does not let it reach the hosts it waits for (`waitingFor`): it stays stopped, saying so, until they
   * restart it or grant one after all. False when it waits for no decision.
   */
  decline(): boolean {
    if (this.waitingFor.length === 0) return false;
    const hosts = this.waitingFor.join(', ');
    this.waitingFor = [];
    this.setState('failed', `You did not let it reach ${hosts}, which it asked for as it started, so it stays stopped. Restart tries it again as it is; "Allow" (or its "allowedDomains" in mcp.json) starts it with the grant.`);
    return true;
  }

  /** Folders its sandbox kept its calls from writing in this launch, which the person could let it write. */
  get refusedWriteFolders(): readonly string[] {
    return this.launch.refusedWriteFolders;
  }

  /** Folders a call's error says its sandbox kept read-only, noted for the page (`LaunchSandbox.noteRefusedWrites`). */
  noteRefusedWrites(errorText: string, named: readonly string[]): string[] {
    return this.launch.noteRefusedWrites(errorText, named);
  }

  /** What its sandbox refused this launch, one line per kind of refusal. */
  refusalLines(): readonly string[] {
    return this.launch.refusalLines();
  }

  get signedIn(): boolean {
    return this.signIn.signedIn;
  }

  /** Revokes this server's tokens where it allows that, and forgets them and its registration, in the keychain too. */
  signOut(): Promise<Revocation> {
    return this.signIn.signOut();
  }

  /** The sign-in URL while the server waits for the person to sign in (Tools & servers offers it). */
  get signInUrl(): string | null {
    return this.state === 'failed' ? this.signIn.url : null;
  }

  /**
   * A connected client for this attempt. A remote server given no type that refuses Streamable HTTP's POST as an
   * older server does (no such route or method) is tried again over the older HTTP+SSE transport, as the spec
   * advises.
   */
  private async connectClient(generation: number): Promise<Client> {
    const mayFallBack = !isStdio(this.config) && this.config.type === undefined && !this.legacySse;
    const client = this.newClient(generation);
    const transport = await this.newTransport();
    const watchClose = () => (client.onclose = () => this.onDown(generation, 'retried', this.whyItEnded(transport)));
    // A process that exits while it starts has exited; a remote server's failed start is the error it answered.
    if (isStdio(this.config)) watchClose();
    try {
      await client.connect(transport, { timeout: this.config.startupTimeoutMs });
    } catch (error) {
      if (!mayFallBack || !(error instanceof StreamableHTTPError && [400, 404, 405].includes(error.code ?? 0))) throw error;
      this.legacySse = true;
      return this.connectClient(generation);
    }
    watchClose();
    answersAfterProgress(transport);
    return client;
  }

  /**
   * How its process ended, with the line of its stderr that most likely says why: "it exited with code 125" alone
   * leaves the person to find "Cannot connect to the Docker daemon" in the output below.
   */
  private whyItEnded(transport: Transport): string {
    // A remote server runs elsewhere: what Portcullis saw is its connection ending, not a process exiting.
    if (!isStdio(this.config)) return 'its connection closed';
    const ended = describeExit(transport instanceof ExitRecordingStdioTransport ? transport.exit : null);
    // Its secrets hidden before the line is cut to length: a secret cut short is no longer found whole.
    const said = lastMeaningfulLine(this.redact(this.stderr.toString()));
    return said ? `${ended} after writing "${said}"` : ended;
  }

  /** A client whose malformed JSON-RPC and changed tool list are handled here. */
  private newClient(generation: number): Client {
    // A server the person barred from asking (`"elicitation": false`) or from using the model (`"sampling": false`) is told it cannot.
    const elicitation = this.config.elicitation ? this.deps.elicitation : undefined;
    const sampling = this.config.sampling ? this.deps.sampling : undefined;
    // Form questions only: a URL question would send the person to a page the server picks.
    const capabilities = { ...(elicitation ? { elicitation: { form: {} } } : {}), ...(sampling ? { sampling: {} } : {}) };
    const client = new Client({ name: 'portcullis', version: this.deps.clientVersion }, { capabilities, jsonSchemaValidator: outputSchemaValidator() });
    client.onerror = (error) => this.onProtocolError(generation, error);
    if (elicitation) client.setRequestHandler(ElicitRequestSchema, (request, extra) => askPerson(this.asking, elicitation, request.params, extra.signal));
    if (sampling) client.setRequestHandler(CreateMessageRequestSchema, (request, extra) => sample(this.asking, sampling, request.params, extra.signal));
    // A server may change its tools while it runs: re-list them, so a changed definition is re-checked against its pin.
    // One re-list at a time, however many changes it announces meanwhile (`CoalescedRuns`).
    const relist = new CoalescedRuns(async () => {
      if (this.superseded(generation)) return;
      try {
        const { tools, leftOut } = await this.listAllTools(client);
        if (this.superseded(generation)) return; // stopped while it listed: its tools are gone
        this.toolCount = tools.length;
        this.leftOutTools = leftOut;
        this.deps.onTools(tools);
      } catch (error) {
        this.relistFailed(generation, error instanceof Error ? error : new Error(String(error)));
      }
    }, RELIST_REST_MS);
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => relist.request());
    client.setNotificationHandler(PromptListChangedNotificationSchema, async () => {
      if (!this.superseded(generation)) this.lists.promptsChanged(client);
    });
    client.setNotificationHandler(ResourceListChangedNotificationSchema, async () => {
      if (!this.superseded(generation)) this.lists.resourcesChanged(client);
    });
    return client;
  }

  /**
   * Its prompts (MCP's `prompts`), in its words cleaned; none when it offers none. Waits while it starts; kept
   * between calls as `ServerListCache` says, each request within the server's call timeout.
   */
  async listPrompts(signal: AbortSignal): Promise<McpPrompt[]> {
    return this.lists.prompts(signal);
  }

  /** Its resources (MCP's `resources`), as `listPrompts` gives its prompts. */
  async listResources(signal: AbortSignal): Promise<McpResource[]> {
    return this.lists.resources(signal);
  }

  /** Its resource templates (MCP's `resources/templates/list`), kept as its resources are. */
  async listResourceTemplates(signal: AbortSignal): Promise<McpResourceTemplate[]> {
    return this.lists.templates(signal);
  }

  /**
   * Its list of `kind` as far as Portcullis knows without asking: which connection gives it and how many changes
   * it announced. Another value means another list (for /mcp to tell its clients); null while it is not connected
   * or offers none. A server that does not announce changes (no `listChanged`) changes it only by reconnecting.
   */
  listVersion(kind: 'prompts' | 'resources'): string | null {
    if (this.state !== 'connected' || !this.offers.includes(kind)) return null;
    return this.lists.version(kind, this.connectionNumber);
  }

  /** When its list of `kind` was asked for, if that request is still unanswered (epoch ms). */
  askedAt(kind: 'prompts' | 'resources' | 'templates'): number | null {
    return this.lists.askedAt(kind);
  }

  /** One resource's contents as the text of a message (`resourceText`). */
  async readResource(uri: string, signal: AbortSignal): Promise<string> {
    return this.lists.readResource(uri, signal);
  }

  /** One prompt filled in with `args`, as the text of a message and the resources it embeds (`promptText`). */
  async getPrompt(name: string, args: Record<string, string>, signal: AbortSignal): Promise<FilledPrompt> {
    return this.lists.getPrompt(name, args, signal);
  }

  /** Values it suggests for a prompt's argument, from what was typed (none when it does not complete). */
  async completePrompt(request: PromptCompletion, signal: AbortSignal): Promise<string[]> {
    return this.lists.completePrompt(request, signal);
  }

  /** Values it suggests for a variable of one of its resource templates (none when it does not complete). */
  async completeTemplate(request: TemplateCompletion, signal: AbortSignal): Promise<string[]> {
    return this.lists.completeTemplate(request, signal);
  }

  /** The server's words as the person may see them: no control characters, none of the secrets it was given. */
  private cleanText(text: string): string {
    return this.redact(stripControlChars(text));
  }

  /** Its tools as listed now (`server-tools.ts`). */
  private listAllTools(client: Client): Promise<ListedTools> {
    return listServerTools(client, { name: this.name, startupTimeoutMs: this.config.startupTimeoutMs, redact: (value) => this.redact(value) });
  }

  /** Makes the transport for this attempt (`connection-transport.ts`), taking note of how it runs and what to hide. */
  private newTransport(): Promise<Transport> {
    return createTransport({
      name: this.name,
      config: this.config,
      secrets: this.deps.secrets,
      wrapCommand: this.deps.wrapCommand,
      oauthCallback: this.deps.oauth,
      oauth: this.signIn.client,
      legacySse: () => this.legacySse,
      hide: (values) => void (this.hidden = hiddenTexts(values)),
      launching: (launch) => this.launching(launch),
      progress: {
        // A first npx start downloads the server: said, so a minute of "Starting…" does not read as hung.
        fetching: (packages) => {
          this.startingNote = `fetching ${packages.join(', ')} (a first start downloads it; later ones use the copy kept)`;
          this.deps.onStateChange?.();
        },
      },
      stderr: (chunk) => this.stderr.append(chunk),
      noteDropped: (note, request) => this.noteDropped(note, request),
    });
  }

  /** How this launch runs, for the Tools & servers page; what the last launch holds is freed first. */
  private async launching(launch: Launch): Promise<void> {
    this.launch.launched(launch);
    await this.release();
    this.releaseLaunch = launch.release;
  }

  /**
   * A message of the server's too large to read was dropped and the connection goes on: said in its last output (the
   * Tools & servers page shows it), as a stdio server's own complaint would be, and in the log. A request of the
   * server's (answered with an error) most likely asked about a call under way, which may fail for it: each call in
   * flight has it in its trace, and says so should it fail.
   */
  private noteDropped(note: string, request?: { method: string }): void {
    this.stderr.append(`Portcullis ${note}.\n`);
    this.deps.logger?.warn({ event: 'mcp.message_dropped', server: this.name }, `The ${this.name} MCP server: Portcullis ${note}`);
    if (!request) return;
    for (const call of this.running) {
      (call.refusedRequests ??= []).push(request.method);
      call.traceEvent?.('mcp.request_refused', { 'mcp.method.name': request.method, 'portcullis.refusal.reason': `Portcullis ${note}` });
    }
  }

  /**
   * Its tools could not be listed again after it said they changed: it is restarted, saying why in words of its own.
   * A re-list that timed out read "it sent malformed JSON-RPC (MCP error -32001: Request timed out)"; a list none of
   * whose tools follows MCP is lasting, as at its start.
   */
  private relistFailed(generation: number, error: Error): void {
    const timedOut = error instanceof McpError && error.code === ErrorCode.RequestTimeout;
    if (!timedOut && !(error instanceof ToolListNotMcp)) return this.onProtocolError(generation, error);
    if (generation !== this.generation || this.state !== 'connected') return;
    const reason = timedOut
      ? `it did not answer tools/list within ${limitInWords(this.config.startupTimeoutMs)} after it said its tools changed (its "startupTimeoutMs" in mcp.json gives a slow server longer)`
      : error.message;
    const client = this.client;
    this.onDown(generation, timedOut ? 'retried' : 'not retried', reason);
    void client?.close().catch(() => undefined);
  }

  /**
   * A notification of the server's that breaks MCP was dropped: said at the first, the tenth, the hundredth… of its
   * run, not at each: a server sending 100,000 had each written to its output and the log (17 s of Portcullis' time).
   */
  private noteDroppedNotification(note: string): void {
    const count = ++this.droppedNotifications;
    if (/^10*$/.test(String(count))) this.noteDropped(count === 1 ? note : `${note}; ${count.toLocaleString('en-US')} such so far`);
  }

  /** An error reported on its client: the connection goes on, or waits for a new sign-in, or is dropped and restarted (`protocol-error-outcome.ts`). */
  private onProtocolError(generation: number, error: Error): void {
    if (generation !== this.generation || this.state !== 'connected') return;
    const outcome = protocolErrorOutcome(error, !isStdio(this.config));
    if (outcome.kind === 'wants-sign-in') this.signInAgain();
    if (outcome.kind === 'dropped') this.noteDroppedNotification(outcome.note);
    if (outcome.kind !== 'ends') return;
    this.error = outcome.reason;
    this.misbehaved = outcome.misbehaved;
    const client = this.client;
    this.onDown(generation, 'retried', outcome.reason);
    void client?.close().catch(() => undefined);
  }

  private onDown(generation: number, retry: 'retried' | 'not retried', reason: string): void {
    if (this.superseded(generation)) return;
    const starting = this.state === 'starting';
    this.generation++; // late events from this client no longer count
    this.client = null;
    void this.release();
    this.lastStderr = this.stderr.toString().trim() || this.lastStderr;
    const refused = this.refusalLines().slice(-3);
    const why = refused.length > 0 ? `${reason}; its sandbox refused: ${refused.join('; ')} (mcp.json grants domains in "allowedDomains", folders in "allowWrite")` : reason;
    // A start its sandbox refused a host the person could allow: another start meets the same refusal until they decide.
    this.waitingFor = starting && retry === 'retried' && this.sandboxed ? this.refusedHosts : [];
    this.retried = retry === 'retried' && this.waitingFor.length === 0;
    const waiting = this.waitingFor.length > 0 ? `. It is not restarted until you decide: ${this.waitingFor.map((host) => `"Allow ${host}"`).join(' or ')} on the Tools & servers page starts it again with the grant` : '';
    this.setState('failed', redact(this.error && this.state === 'failed' ? this.error : `${why}${waiting}`, this.hidden));
    this.lastFailure = this.error;
    if (!this.retried) return;
    // Its backoff starts over after it ran a while; a server that crashes soon after each start (out of memory as it
    // loads, a bad config it reads lazily) waits longer each time, where it was started again every few seconds for good.
    if (this.connectedAt !== null && Date.now() - this.connectedAt >= STABLE_AFTER_MS) this.attempt = 0;
    this.connectedAt = null;
    const base = this.deps.restartBaseMs ?? 500;
    const delay = Math.min(base * 2 ** this.attempt, this.deps.restartMaxMs ?? 30_000);
    this.attempt++;
    this.nextRestartAt = Date.now() + delay;
    this.restartTimer = setTimeout(() => {
      this.restarts++;
      void this.connect();
    }, delay);
    this.restartTimer.unref();
  }

  private setState(state: ServerState, error: string | null): void {
    this.startingNote = null;
    this.state = state;
    this.error = error;
    this.wake();
    this.deps.onStateChange?.();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** When a stopped server that is still running is sent SIGTERM (its stdin closed first), and how long it has then before SIGKILL. */
const DISPOSE_NUDGE_MS = 300;
const DISPOSE_KILL_AFTER_MS = 1_000;
