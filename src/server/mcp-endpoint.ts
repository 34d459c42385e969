import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, isInitializeRequest, ListToolsRequestSchema, type CallToolResult, type ProgressToken, type RequestId, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { callerLabel, credentialHolder } from '../core/auth/caller-label';
import { requiredScope } from '../core/auth/channel-scopes';
import { toolRefusal } from '../core/auth/tool-access';
import { promptRefusal } from '../core/api/key-server-reach';
import { hasScope, type Principal } from '../core/auth/scopes';
import type { RuntimeInstance } from '../core/runtime/runtime-instance';
import type { McpSessionStore, StoredInitialize, StoredMcpSession } from '../core/storage/stores/mcp-session-store';
import type { GovernedDirectCallOptions } from '../core/tools/governed-direct-call';
import type { RefusedCall } from '../core/tools/refused-call-record';
import { mcpClientCaller } from '../core/tools/direct-callers';
import type { ToolDefinition } from '../core/tools/tool-definition';
import type { InvokeResult } from '../shared/api/wire';
import type { DirectCallInput, DirectCallOutcome } from '../shared/domain/direct-call';
import type { ToolProgress } from '../shared/domain/tool-call';
import { AppError } from '../shared/errors';
import { absentToolName, inClientNames, mcpToolNames, notFoundInClientNames } from './mcp-tool-names';
import type { TemplateCompletion } from '../core/mcp/server-prompts';
import type { McpResourceTemplate } from '../core/mcp/server-resources';
import { servePromptsAndResources, type HandlerExtra, type PromptsAndResourcesChannel } from './mcp-prompts-resources';
import { toolSelection, type ToolSelection } from './mcp-tool-selection';
import { ProgressSeries, type ProgressFigures } from './mcp-progress-series';
import { toMcpToolResult } from './mcp-tool-result';
import { unknownToolOutcomeFor } from '../core/tools/unknown-tool-message';
import { malformedToolCall } from './mcp-call-shape';
import { readBody } from './read-body';
import { reviveTransport } from './mcp-session-revival';

export const MCP_PATH = '/mcp';

/**
 * Sessions kept at once: past it, a new one takes the place of the least recently used with no call under way,
 * its own credential's first (a client that never says goodbye, as the SDK's own close() does not, leaves one
 * behind at every start).
 */
export const MAX_SESSIONS = 64;
/**
 * How long a session its client has not used is kept for it across a restart of Portcullis: a week covers a
 * weekend or a holiday away from the editor; older, its client is told it is not found and starts a new one.
 */
export const SESSION_IDLE_LIMIT_MS = 7 * 24 * 60 * 60 * 1000;
/** Why a session cannot open (or be taken up again) when none can make room for it (`makeRoom`). */
const NO_ROOM = `${MAX_SESSIONS} MCP sessions are open, each with a call under way (or, with half of them this credential's, another client's); try again once one has ended.`;
/** How often a session's last use is written down: the limit above is days, not seconds. */
const SEEN_WRITE_EVERY_MS = 60_000;
/** How often the kept sessions of revoked, narrowed or expired credentials, and the idle ones, are forgotten. */
const STORAGE_CHECK_EVERY_MS = 60_000;
/** How often a call that waits (for the person, most often) tells a client that gave a progressToken it still runs. */
export const PROGRESS_EVERY_MS = 5_000;
/** How often the lists are compared with what the sessions were last told, for tools/, prompts/ and resources/list_changed. */
const CATALOG_CHECK_EVERY_MS = 2_000;

/** The lists a client is told of when they change (MCP's `listChanged`). */
type ListKind = 'tools' | 'prompts' | 'resources';
const LIST_KINDS: readonly ListKind[] = ['tools', 'prompts', 'resources'];
const LIST_CHANGED = {
  tools: 'notifications/tools/list_changed',
  prompts: 'notifications/prompts/list_changed',
  resources: 'notifications/resources/list_changed',
} as const;

export interface McpEndpointDeps {
  version: string;
  /** The tools the runtime offers now (held-back and turned-off ones are not among them). */
  tools(): ToolDefinition[];
  /** The names of the tools not offered now that the runtime can say why of: held back or turned off. */
  absentTools(): string[];
  /** The namespaces of the configured MCP servers' tools (`everything`, `mcp-memory`), running or not. */
  serverNamespaces(): string[];
  /**
   * The connected servers that offer prompts (or resources), each with a version of that list that changes when the
   * server announces a change or connects again (`McpConnection.listVersion`).
   */
  serverLists(kind: 'prompts' | 'resources'): Array<{ server: string; version: string }>;
  /** The governed call path of `tools.call`. */
  call(input: DirectCallInput, options: GovernedDirectCallOptions): Promise<DirectCallOutcome>;
  /** Whether a call recorded in this conversation waits for the person's approval now. */
  awaitingApproval(conversationId: string): Promise<boolean>;
  /** An API key's name, by its id, for the words the person reads in the approval. */
  keyName(id: string): string | undefined;
  /**
   * The credential that opened a session as it stands now (a key's scopes and tools changed since), or null once it
   * no longer holds (revoked, expired).
   */
  current(principal: Principal): Principal | null;
  /** A local API channel run as a credential would run it over HTTP (its scopes, and the policy's say for a key). */
  api(principal: Principal, channel: PromptsAndResourcesChannel, input: unknown): Promise<InvokeResult>;
  /**
   * The servers that list a resource, or a template it is a URI of, whoever asks (a key limited to certain tools is
   * listed only some).
   */
  serversListing(uri: string): Promise<string[]>;
  /** Every server's prompts, whoever asks (a key limited to certain tools is listed only some). */
  allPrompts(): Promise<Array<{ server: string; name: string }>>;
  /** Every server's resource templates, whoever asks (a session is given those of the servers it has a reader of). */
  resourceTemplates(): Promise<McpResourceTemplate[]>;
  /** Values a server suggests for a variable of one of its resource templates. */
  completeTemplate(server: string, request: TemplateCompletion): Promise<string[]>;
  /** A call refused before it ran (a tool outside the key's list), for the audit chain. */
  refused(refused: RefusedCall): void;
  /** Masks secrets in anything sent (tool descriptions and schemas are the servers' words). */
  redact<T>(value: T): T;
  /**
   * Where sessions are kept across a restart of Portcullis (SQLite): a client keeps its session id and, as the
   * SDK's own Client does, does not initialize again on a 404, so a session that is not kept fails every call.
   */
  storage: McpSessionStorage;
  /**
   * This process among the Portcullis processes on the data folder (the app and a `serve`): the kept sessions another
   * live one holds open are its own to forget, not this one's.
   */
  instance: Pick<RuntimeInstance, 'id' | 'pid' | 'isAlive'>;
  /** Test hook: how often progress is sent while a call waits. */
  progressEveryMs?: number;
}

export type McpSessionStorage = Pick<McpSessionStore, 'save' | 'find' | 'all' | 'setConversation' | 'seen' | 'delete' | 'release'>;

interface Session {
  transport: StreamableHTTPServerTransport;
  server: Server;
  /** Its credential as it stood at its client's last request or the last check: a key's tools may change. */
  principal: Principal;
  /** What it was last told of each list (`seenBy`), for tools/, prompts/ and resources/list_changed. */
  told: Record<ListKind, string>;
  /**
   * The lists its client may not have heard changed since it last listed them: the notification goes on the
   * client's GET stream, which it may not have (the SDK's client gives that stream up two retries after a restart),
   * and a session taken up again after a restart cannot know what changed meanwhile. Its next tools/call,
   * prompts/get or resources/read then carries the notifications on the request's own answer stream.
   */
  maybeStale: Set<ListKind>;
  /** Where the session's calls are recorded, once its first call made it: its taint and allowances are the session's. */
  conversationId: string | null;
  /** The calls under way, by their JSON-RPC id: each stops with the words given (a dropped connection, a revoked key). */
  calls: Map<RequestId, (why: string) => void>;
  /** Why the session was ended by Portcullis, for the calls it stops; null while it is open or the client ended it. */
  endedBecause: string | null;
  /** The tools its URL picked (`?tools=…`), or null: every tool. */
  selection: ToolSelection | null;
  /** When its client last sent a request (epoch ms). */
  lastSeen: number;
  /** The last use written to storage (epoch ms). */
  storedSeen: number;
  /** When it opened (epoch ms): its conversation's title says so, as a client makes one session after another. */
  openedAt: number;
}

const INSTRUCTIONS =
  "Portcullis governs every call: its policy may run a tool, deny it, or ask the person at the computer first (the call then waits for their answer, up to the approval's timeout). A refused call comes back as an error that says who refused it and why; do not retry it unchanged.";

/**
 * Portcullis as an MCP server over Streamable HTTP at `/mcp`: any MCP client lists the tools the runtime offers
 * and calls them through the same governed path as `tools.call` (policy, approval, sandbox, records, trace).
 * The host's auth gate (Host, Origin, credential) runs before it; a session belongs to the credential that
 * opened it.
 */
export function createMcpEndpoint(deps: McpEndpointDeps) {
  const sessions = new Map<string, Session>();
  /** Sessions being taken up again after a restart, by id: a client's GET and POST may both arrive first. */
  const reviving = new Map<string, Promise<Session | 'full' | null>>();
  const every = deps.progressEveryMs ?? PROGRESS_EVERY_MS;
  const catalogCheck = setInterval(() => {
    if (sessions.size === 0) return;
    endSessionsOfLapsedCredentials();
    // A tool, prompt or resource added, changed or gone (a server behind Portcullis said so, connected or went
    // away), or the session's key given other tools (keys update): its client is told of what it sees.
    const now = listsNow();
    for (const session of sessions.values()) {
      const seen = seenBy(session, now);
      for (const kind of LIST_KINDS) {
        if (seen[kind] === session.told[kind]) continue;
        session.told[kind] = seen[kind];
        session.maybeStale.add(kind);
        void session.server.notification({ method: LIST_CHANGED[kind] }).catch(() => undefined);
      }
    }
  }, CATALOG_CHECK_EVERY_MS);
  catalogCheck.unref();
  forgetLapsedStoredSessions();
  const storageCheck = setInterval(forgetLapsedStoredSessions, STORAGE_CHECK_EVERY_MS);
  storageCheck.unref();

  /**
   * A kept session is written down, read and forgotten through this: storage that fails (a locked or read-only
   * database) only means a session will not survive the next restart; the request is served all the same.
   */
  function kept<T>(use: (storage: McpSessionStorage) => T): T | undefined {
    try {
      return use(deps.storage);
    } catch {
      return undefined;
    }
  }

  /**
   * Kept sessions no open session stands for are forgotten once they could not be taken up again: their key was
   * revoked, deleted or changed to lack the `tools` scope, their JWT expired, or their client left them unused
   * past SESSION_IDLE_LIMIT_MS.
   */
  function forgetLapsedStoredSessions(): void {
    const now = Date.now();
    for (const stored of kept((storage) => storage.all()) ?? []) {
      if (sessions.has(stored.id)) continue;
      const current = deps.current(stored.principal);
      if (current && hasScope(current, 'tools') && now - stored.lastSeenAt <= SESSION_IDLE_LIMIT_MS) continue;
      // Another process's open session: it ends and forgets it itself (its own check runs there).
      if (heldElsewhere(stored)) continue;
      kept((storage) => storage.delete(stored.id));
    }
  }

  /** Whether another Portcullis process on the data folder, still running, holds a kept session open. */
  function heldElsewhere(stored: StoredMcpSession): boolean {
    const { holder } = stored;
    return holder !== undefined && holder.instance !== deps.instance.id && deps.instance.isAlive(holder.instance, holder.pid);
  }

  /**
   * A revoked key or an expired JWT ends its sessions, as it closes a WebSocket: the calls they still wait on are
   * cancelled (an approval the person has not answered leaves the page), so nothing runs for a credential that
   * no longer holds. So does a key changed to lack the `tools` scope; a key still holding it is taken as it is now.
   */
  function endSessionsOfLapsedCredentials(): void {
    for (const [id, session] of sessions) {
      const current = deps.current(session.principal);
      if (current && hasScope(current, 'tools')) {
        session.principal = current;
        continue;
      }
      sessions.delete(id);
      kept((storage) => storage.delete(id));
      const what = current ? 'was changed to lack the "tools" scope' : 'was revoked or expired';
      session.endedBecause = `The ${callerLabel(session.principal, deps.keyName)} ${what} while the call was under way.`;
      // Its calls are answered first (the client reads why), then the session is closed.
      for (const stop of session.calls.values()) stop(session.endedBecause);
      void closeOnceAnswered(session);
    }
  }

  /** The tools and the servers' lists as they are now, once for all the sessions compared with them. */
  function listsNow(): ListsNow {
    const tools = deps.tools();
    return { tools, catalog: catalogFingerprint(tools), prompts: deps.serverLists('prompts'), resources: deps.serverLists('resources') };
  }

  /**
   * What a session sees of each list, as a value that changes when the list it would be given does: the tools'
   * catalog and the names its URL and its key leave it; the prompts of the servers its key reaches (any one of
   * their tools) and the resources of those whose reader it has, each server's list by its version.
   */
  function seenBy(session: Session, now: ListsNow = listsNow()): Record<ListKind, string> {
    const keys = now.tools.filter((tool) => toolRefusal(session.principal, tool.name) === null);
    const offered = keys.filter((tool) => session.selection?.picks(tool.name) ?? true);
    // Prompts follow the key alone (a URL's pick narrows tools and resources); resources, the readers offered.
    const promptServers = new Set(keys.map((tool) => tool.server));
    const resourceServers = new Set(offered.filter((tool) => tool.remoteName === 'resources/read').map((tool) => tool.server));
    const versions = (lists: ListsNow['prompts'], reaches: (server: string) => boolean) =>
      lists.filter(({ server }) => reaches(server)).map(({ server, version }) => `${server}@${version}`).join('\n');
    return {
      tools: `${now.catalog}\n${offered.map((tool) => tool.name).join('\n')}`,
      prompts: versions(now.prompts, (server) => !session.principal.toolLimit || promptServers.has(server)),
      resources: versions(now.resources, (server) => resourceServers.has(server)),
    };
  }

  /** The tool that reads a server's resources for a session, while it is offered and its URL and key leave it. */
  function readerOf(session: Session, tools: ToolDefinition[], server: string): string | undefined {
    return tools.find((tool) => tool.server === server && tool.remoteName === 'resources/read' && (session.selection?.picks(tool.name) ?? true) && toolRefusal(session.principal, tool.name) === null)?.name;
  }

  /** Its client listed `kind`: it knows the list as it is now. */
  function listed(session: Session, kind: ListKind): void {
    session.told[kind] = seenBy(session)[kind];
    session.maybeStale.delete(kind);
  }

  /** The lists a session's client may not have heard changed are told on the answer stream of its request. */
  function tellStale(session: Session, extra: HandlerExtra): void {
    for (const kind of session.maybeStale) void extra.sendNotification({ method: LIST_CHANGED[kind] }).catch(() => undefined);
    session.maybeStale.clear();
  }

  /**
   * Closes one session for a new one: the least recently used with no call under way, the same credential's first,
   * so that a client opening session after session (one that never says goodbye, a loop) does not close another
   * client's, nor a session whose call waits for the person. False when every session has a call under way.
   */
  function makeRoom(principal: Principal): boolean {
    const idle = [...sessions].filter(([, session]) => session.calls.size === 0);
    const rank = (session: Session) => (session.principal.id === principal.id ? 0 : 1);
    idle.sort(([, a], [, b]) => rank(a) - rank(b) || a.lastSeen - b.lastSeen);
    const [victim] = idle;
    if (!victim) return false;
    // A credential holding half the places already takes none of another's: past that, its own sessions (a runaway
    // loop, or calls held open on purpose) make room, or it waits, and the other clients keep theirs (a session closed
    // here is forgotten, and its client, told 404, does not initialize again).
    const holds = [...sessions.values()].filter((session) => sameCredential(session.principal, principal)).length;
    if (!sameCredential(victim[1].principal, principal) && holds >= MAX_SESSIONS / 2) return false;
    sessions.delete(victim[0]);
    kept((storage) => storage.delete(victim[0]));
    void victim[1].transport.close().catch(() => undefined);
    return true;
  }

  function listedTools(principal: Principal, selection: ToolSelection | null): Tool[] {
    const tools = deps.tools();
    // Named among all the tools, so that a name means the same tool whatever a session picks.
    const names = mcpToolNames(tools.map((tool) => tool.name));
    return deps.redact(
      tools.filter((tool) => (selection?.picks(tool.name) ?? true) && toolRefusal(principal, tool.name) === null).map((tool) => ({
        name: names.toClient.get(tool.name) ?? tool.name,
        // Portcullis' own name, as its approvals, records and policy rules say it.
        title: tool.annotations.title ?? tool.name,
        description: tool.description,
        inputSchema: { ...tool.inputSchema, type: 'object' } as Tool['inputSchema'],
        annotations: tool.annotations,
      })),
    );
  }

  /**
   * A session for a client's initialize (what it sent is kept once the session has its id, before the client is
   * answered), or, given what was kept of one, that session taken up again.
   */
  function newSession(principal: Principal, selection: ToolSelection | null, initialize: StoredInitialize | null, revived?: Pick<StoredMcpSession, 'id' | 'openedAt' | 'conversationId'>): Session {
    const server = new Server(
      { name: 'portcullis', version: deps.version },
      { capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true }, completions: {} }, instructions: INSTRUCTIONS },
    );
    server.setRequestHandler(ListToolsRequestSchema, async () => {
      listed(session, 'tools');
      return { tools: listedTools(session.principal, session.selection) };
    });
    /**
     * One call through the governed path, recorded in the session's conversation (its taint and allowances are the
     * session's); the client's cancel, a dropped connection or a revoked key stop it, and a client that gave a
     * progressToken hears that it still runs.
     */
    async function governed(name: string, args: Record<string, unknown>, extra: HandlerExtra, progressToken: ProgressToken | undefined, method: 'tools/call' | 'resources/read' = 'tools/call'): Promise<DirectCallOutcome> {
      const client = server.getClientVersion()?.name;
      // The client's cancel reads as its own in the call's record and the approval it withdraws.
      const cancel = new AbortController();
      const stop = (why: string) => cancel.abort(new AppError('TOOL_CANCELLED', why));
      const onAbort = () => stop(session.endedBecause ?? `${client ?? 'The MCP client'} cancelled the call.`);
      if (extra.signal.aborted) onAbort();
      else extra.signal.addEventListener('abort', onAbort, { once: true });
      session.calls.set(extra.requestId, stop);
      let conversationId: string | null = null;
      // Portcullis' beats and the server's reports, as one rising series.
      const series = new ProgressSeries();
      let said = 0;
      const say = (figures: ProgressFigures, message: string | undefined): void => {
        said += 1;
        if (progressToken === undefined) return;
        extra.sendNotification({ method: 'notifications/progress', params: { progressToken, ...figures, ...(message ? { message } : {}) } }).catch(() => undefined);
      };
      // A wait for the person can take minutes: progress keeps the client's own timeout from giving up first. A
      // beat only after a period the server said nothing in: its own reports say more.
      let saidBefore = 0;
      const heartbeat = progressToken === undefined ? undefined : setInterval(() => {
        const quiet = said === saidBefore;
        saidBefore = said;
        if (!quiet) return;
        void (conversationId === null ? Promise.resolve(false) : deps.awaitingApproval(conversationId))
          .then((waiting) => {
            // A report that came meanwhile stands for this beat.
            if (said === saidBefore) say(series.beat(), waiting ? `Waiting for the person to approve ${name} in Portcullis` : `${name} is running in Portcullis`);
            saidBefore = said;
          })
          .catch(() => undefined);
      }, every);
      try {
        const caller = {
          ...mcpClientCaller(name, args, credentialHolder(session.principal, deps.keyName), client, { id: transport.sessionId, clientVersion: server.getClientVersion()?.version, method, openedAt: session.openedAt }),
          ...(session.conversationId === null ? {} : { conversationId: session.conversationId }),
          sharesConversation: true,
          onConversation: (id: string) => {
            conversationId = id;
            // The newest: the person may have deleted the session's conversation, and this call made another.
            if (session.conversationId !== id && transport.sessionId) kept((storage) => storage.setConversation(transport.sessionId!, id));
            session.conversationId = id;
          },
          // What the server that runs the tool reports of a long call (its message is its own, masked).
          onProgress: (progress: ToolProgress) => {
            const figures = series.report(progress);
            if (figures) say(figures, progress.message === undefined ? undefined : deps.redact(progress.message));
          },
        };
        return await deps.call({ name, arguments: args }, { caller, signal: cancel.signal });
      } finally {
        clearInterval(heartbeat);
        extra.signal.removeEventListener('abort', onAbort);
        session.calls.delete(extra.requestId);
      }
    }
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      tellStale(session, extra);
      const offered = deps.tools().map((tool) => tool.name);
      const names = mcpToolNames(offered);
      // A client that takes dots may call Portcullis' own name. One held back, turned off or of a server that is
      // down goes to the gateway by Portcullis' name, which says why it cannot run; any other as it is, to be
      // refused there (and recorded) with the nearest name it knows.
      const absent = names.fromClient.has(request.params.name)
        ? undefined
        : absentToolName(request.params.name, { offered, absent: deps.absentTools(), namespaces: deps.serverNamespaces() });
      const name = names.fromClient.get(request.params.name) ?? absent ?? request.params.name;
      if (session.selection && !session.selection.picks(name)) return notPicked(request.params.name, session.selection);
      const refusal = toolRefusal(session.principal, name, request.params.name);
      if (refusal) {
        deps.refused({ tool: name, caller: callerLabel(session.principal, deps.keyName), channel: 'mcp', client: server.getClientVersion()?.name, reason: refusal });
        return { isError: true, content: [{ type: 'text', text: `FORBIDDEN: ${refusal}` }] };
      }
      const called = await governed(name, request.params.arguments ?? {}, extra, request.params._meta?.progressToken);
      // A name no tool has is answered with the tools this session offers, not the whole catalog.
      const mayCall = offered.filter((tool) => (session.selection?.picks(tool) ?? true) && toolRefusal(session.principal, tool) === null);
      const outcome = unknownToolOutcomeFor(called, name, mayCall);
      const unknown = outcome.error?.code === 'TOOL_NOT_FOUND' && !names.fromClient.has(request.params.name) && absent === undefined;
      // A tool not offered is named in the gateway's words as the client called it.
      const asCalled = (text: string) => (absent === undefined ? text : text.split(absent).join(request.params.name));
      return toMcpToolResult(outcome, (text) => (unknown ? notFoundInClientNames(text, request.params.name, names, mayCall) : inClientNames(asCalled(text), names)));
    });
    /**
     * Why the session's key may not read `uri` (a resource, a template) from `owner`: its reader, picked by the
     * session's URL, is outside the key's tools (the refusal recorded). Null when that is not why.
     */
    const readerRefusal = (owner: string, uri: string) => {
      const reader = deps.tools().find((tool) => tool.server === owner && tool.remoteName === 'resources/read' && (session.selection?.picks(tool.name) ?? true));
      const refusal = reader ? toolRefusal(session.principal, reader.name) : null;
      if (!reader || !refusal) return null;
      deps.refused({ tool: reader.name, caller: callerLabel(session.principal, deps.keyName), channel: 'mcp', uri, client: server.getClientVersion()?.name, reason: refusal });
      return { reader: reader.name, refusal };
    };
    servePromptsAndResources(server, {
      api: (channel, input) => deps.api(session.principal, channel, input),
      resourceReader: (name) => readerOf(session, deps.tools(), name),
      resourceTemplates: () => deps.resourceTemplates(),
      completeTemplate: (name, request) => deps.completeTemplate(name, request),
      listed: (kind) => listed(session, kind),
      answering: (extra) => tellStale(session, extra),
      call: (name, args, extra, progressToken) => governed(name, args, extra, progressToken, 'resources/read'),
      refusedRead: async (uri) => {
        if (!session.principal.toolLimit) return null;
        // The first server that lists it, as resources/read would read it from.
        const [lister] = await deps.serversListing(uri);
        const refused = lister === undefined ? null : readerRefusal(lister, uri);
        return refused && `Reading ${uri} from the ${lister} server is a call of ${refused.reader}: ${refused.refusal}`;
      },
      refusedTemplate: async (uriTemplate) => {
        if (!session.principal.toolLimit) return null;
        const owner = (await deps.resourceTemplates()).find((template) => template.uriTemplate === uriTemplate)?.server;
        const refused = owner === undefined ? null : readerRefusal(owner, uriTemplate);
        return refused && `The ${owner} server's resource template ${uriTemplate} is read with ${refused.reader}: ${refused.refusal}`;
      },
      refusedPrompt: async (asked) => {
        if (!session.principal.toolLimit) return null;
        // The prompt the name stands for among every server's, named as prompts/list names them.
        const all = await deps.allPrompts();
        const names = mcpToolNames(all.map((prompt) => `${prompt.server}.${prompt.name}`));
        const prompt = all.find((p) => (names.toClient.get(`${p.server}.${p.name}`) ?? p.name) === asked);
        const refusal = prompt ? promptRefusal(session.principal, deps.tools(), prompt.server, prompt.name) : null;
        if (!prompt || !refusal) return null;
        deps.refused({ prompt: { server: prompt.server, name: prompt.name }, caller: callerLabel(session.principal, deps.keyName), channel: 'mcp', client: server.getClientVersion()?.name, reason: refusal });
        return refusal;
      },
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => revived?.id ?? randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, session);
        if (initialize) keep(id, session, initialize);
      },
      // Its client ended it (DELETE): it is not taken up again after a restart either.
      onsessionclosed: (id) => {
        sessions.delete(id);
        kept((storage) => storage.delete(id));
      },
    });
    transport.onclose = () => {
      if (!transport.sessionId) return;
      sessions.delete(transport.sessionId);
      // Closed, not ended (Portcullis closing, its Local API turned off): kept, and no longer this process's to hold.
      const id = transport.sessionId;
      kept((storage) => storage.release(id, deps.instance.id));
    };
    const now = Date.now();
    // A session taken up again cannot know what changed while Portcullis was closed.
    const maybeStale = new Set<ListKind>(revived === undefined ? [] : LIST_KINDS);
    const session: Session = { transport, server, principal, told: { tools: '', prompts: '', resources: '' }, maybeStale, conversationId: revived?.conversationId ?? null, calls: new Map(), endedBecause: null, selection, lastSeen: now, storedSeen: now, openedAt: revived?.openedAt ?? now };
    // What it would be told now: a change from here on is news to it.
    session.told = seenBy(session);
    return session;
  }

  /**
   * The session a client opened before Portcullis restarted, taken up again under its id, in its conversation and
   * as its client initialized it: a client keeps its session id across the restart and would otherwise be told
   * "not found" at every call (the SDK's Client does not initialize again). Only for the credential that opened
   * it and only within SESSION_IDLE_LIMIT_MS; 'full' when every open session has a call under way.
   */
  function revive(id: string, principal: Principal): Promise<Session | 'full' | null> {
    const pending = reviving.get(id);
    if (pending) return pending;
    const revival = (async (): Promise<Session | 'full' | null> => {
      const stored = kept((storage) => storage.find(id));
      if (!stored || !sameCredential(stored.principal, principal)) return null;
      if (Date.now() - stored.lastSeenAt > SESSION_IDLE_LIMIT_MS) {
        kept((storage) => storage.delete(id));
        return null;
      }
      let selection: ToolSelection | null;
      try {
        selection = stored.tools === null ? null : toolSelection(`/?tools=${encodeURIComponent(stored.tools)}`);
      } catch {
        // A selection this build cannot read is not widened to every tool (its URL narrowed what the client's model
        // is offered): the session is not found, as a session was before they were kept.
        kept((storage) => storage.delete(id));
        return null;
      }
      if (sessions.size >= MAX_SESSIONS && !makeRoom(principal)) return 'full';
      const session = newSession(principal, selection, stored.initialize, stored);
      await session.server.connect(session.transport);
      if (!(await reviveTransport(session.transport, id, stored.initialize).catch(() => false))) {
        sessions.delete(id);
        await session.server.close().catch(() => undefined);
        return null;
      }
      return session;
    })().finally(() => reviving.delete(id));
    reviving.set(id, revival);
    return revival;
  }

  /** Writes down a session just opened (or taken up again), to take it up again after a restart. */
  function keep(id: string, session: Session, initialize: StoredInitialize): void {
    const { protocolVersion, capabilities, clientInfo } = initialize;
    const { kind, id: principalId, scopes, expiresAt } = session.principal;
    kept((storage) => {
      storage.save({
        id,
        principal: { kind, id: principalId, scopes, ...(expiresAt === undefined ? {} : { expiresAt }) },
        // What the client sent, any text it chose (a name, a capability's field): masked as the rest of the folder.
        initialize: deps.redact({ protocolVersion, capabilities, clientInfo }),
        tools: session.selection?.said ?? null,
        conversationId: session.conversationId,
        openedAt: session.openedAt,
        lastSeenAt: session.lastSeen,
        holder: { instance: deps.instance.id, pid: deps.instance.pid },
      });
      // No more than are kept open: a client that never says goodbye leaves one behind at every start. The oldest
      // of those no open session stands for go first, this process's or another's (the app and a `serve` on one
      // data folder); the open ones' place is settled by makeRoom, in the process that holds them.
      const all = storage.all();
      let over = all.length - MAX_SESSIONS;
      for (const row of all.reverse()) {
        if (over <= 0) break;
        if (sessions.has(row.id) || heldElsewhere(row)) continue;
        storage.delete(row.id);
        over -= 1;
      }
    });
  }

  return {
    /** Serves one request to `/mcp` whose credential the auth gate accepted. */
    async handle(request: IncomingMessage, response: ServerResponse, principal: Principal): Promise<void> {
      const scope = requiredScope('tools.call');
      if (!hasScope(principal, scope)) {
        return refuse(response, 403, `This credential lacks the "${scope}" scope needed to call tools. Create a key with that scope (portcullis keys create --scope ${scope}).`);
      }
      let body: unknown;
      if (request.method === 'POST') {
        try {
          body = JSON.parse(await readBody(request));
        } catch (error) {
          return refuse(response, 400, error instanceof RangeError ? 'The body is larger than 1 MB.' : 'The body is not valid JSON.', -32700);
        }
      }
      const id = request.headers['mcp-session-id'];
      // A client that starts again after Portcullis restarted may send its new initialize with the old session's id:
      // that is a new session, not an unknown one (a 404 it would not recover from).
      const reopening = typeof id === 'string' && !sessions.has(id) && isInitializeRequest(body);
      if (typeof id === 'string' && !reopening) {
        const session = sessions.get(id) ?? (await revive(id, principal));
        if (session === 'full') return refuse(response, 503, NO_ROOM);
        // Another credential's session is not found, as one that never was: nothing says it exists.
        if (!session || !sameCredential(session.principal, principal)) return refuse(response, 404, 'Session not found: initialize a new one.', -32001);
        session.lastSeen = Date.now();
        // A JWT client sends a newer token before the last runs out: what is kept lasts as long as the newest, or
        // the check at the next start would take the session for an expired token's and forget it.
        const renewed = principal.expiresAt !== undefined && principal.expiresAt !== session.principal.expiresAt;
        if (renewed || session.lastSeen - session.storedSeen > SEEN_WRITE_EVERY_MS) {
          session.storedSeen = session.lastSeen;
          kept((storage) => storage.seen(id, session.lastSeen, principal.expiresAt));
        }
        // The credential as the gate found it just now: a key's scopes and tools hold from its next request.
        session.principal = principal;
        const malformed = malformedToolCall(body);
        if (malformed) return answerError(response, malformed.id, -32602, `Invalid tools/call request: ${malformed.problem}.`);
        stopCallsWhenDropped(session, body, response);
        return session.transport.handleRequest(request, response, body);
      }
      if (request.method !== 'POST') return refuse(response, 400, 'Start with an initialize request (POST) to open a session.');
      // The client started anew instead of going on with the session it had: that one is not kept for it.
      if (reopening && sameCredential(kept((storage) => storage.find(id as string))?.principal, principal)) kept((storage) => storage.delete(id as string));
      let selection: ToolSelection | null;
      try {
        selection = toolSelection(request.url);
      } catch (error) {
        return refuse(response, 400, error instanceof Error ? error.message : 'The tools the URL picks cannot be read.');
      }
    if (sessions.size >= MAX_SESSIONS && !makeRoom(principal)) {
        return refuse(response, 503, NO_ROOM);
      }
      // What the client says of itself is kept as it said it, for the SDK to read again after a restart.
      const initialize = (Array.isArray(body) ? body : [body]).find(isInitializeRequest)?.params ?? null;
      const session = newSession(principal, selection, initialize);
      await session.server.connect(session.transport);
      await session.transport.handleRequest(request, response, body);
      // Anything but a good initialize opened no session: nothing is kept of it.
      if (session.transport.sessionId === undefined) await session.server.close();
    },
    async close(): Promise<void> {
      clearInterval(catalogCheck);
      clearInterval(storageCheck);
      // Closed, not ended: what is kept of them is taken up again when their clients come back after the restart.
      const open = [...sessions.values()];
      sessions.clear();
      // A call under way is answered that it stopped, at once: its client would otherwise wait out its own timeout
      // (a minute by the SDK's) for an answer that cannot come, and not know to call again.
      for (const session of open) {
        session.endedBecause = 'Portcullis stopped serving MCP (it was quit or restarted, or its Local API turned off) while the call was under way; call again once it is back.';
        for (const stop of session.calls.values()) stop(session.endedBecause);
      }
      await Promise.all(open.map(closeOnceAnswered));
    },
  };
}

export type McpEndpoint = ReturnType<typeof createMcpEndpoint>;

/** Whether a session (or what is kept of one) is a credential's: the same kind, and the same key id or JWT subject. */
function sameCredential(owner: Pick<Principal, 'kind' | 'id'> | undefined, principal: Principal): boolean {
  return owner !== undefined && owner.kind === principal.kind && owner.id === principal.id;
}

/** Closes a session once its calls have been answered, or after a second at most. */
async function closeOnceAnswered(session: Session): Promise<void> {
  for (let waited = 0; session.calls.size > 0 && waited < 1_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  await session.transport.close().catch(() => undefined);
}

/**
 * A client that goes away without cancelling (killed, its window closed, its connection cut) leaves no one to
 * answer: the tools/call requests of a POST whose answer stream closed before it ended are cancelled, so an
 * approval they wait on leaves the person's page instead of running, once allowed, for nobody. (The SDK stops a
 * call only when its session closes, which such a client never asks for.)
 */
function stopCallsWhenDropped(session: Session, body: unknown, response: ServerResponse): void {
  const ids = (Array.isArray(body) ? body : [body]).flatMap((message: unknown) => {
    const { method, id } = (message ?? {}) as { method?: unknown; id?: unknown };
    return (method === 'tools/call' || method === 'resources/read') && (typeof id === 'string' || typeof id === 'number') ? [id] : [];
  });
  if (ids.length === 0) return;
  response.once('close', () => {
    if (response.writableFinished) return;
    const client = session.server.getClientVersion()?.name ?? 'The MCP client';
    for (const id of ids) session.calls.get(id)?.(`${client} closed its connection before the call ended.`);
  });
}

/** A call of a tool the session's URL did not pick: refused before the gateway, as a tool it does not offer. */
function notPicked(asked: string, selection: ToolSelection): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `TOOL_NOT_FOUND: ${asked} is not offered in this session: its URL picks the tools ${selection.said} (/mcp?tools=…).` }] };
}

/** The tools and the servers' lists at one check. */
interface ListsNow {
  tools: ToolDefinition[];
  catalog: string;
  prompts: Array<{ server: string; version: string }>;
  resources: Array<{ server: string; version: string }>;
}

function catalogFingerprint(tools: ToolDefinition[]): string {
  return JSON.stringify(tools.map((t) => [t.name, t.description, t.inputSchema, t.annotations]));
}

/** A JSON-RPC error answering one request (HTTP 200, as a Streamable HTTP server may answer with JSON). */
function answerError(response: ServerResponse, id: string | number, code: number, message: string): void {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } }));
}

function refuse(response: ServerResponse, status: number, message: string, code = -32000): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

