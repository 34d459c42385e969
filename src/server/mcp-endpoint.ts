import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { requiredScope } from '../core/auth/channel-scopes';
import { hasScope, type Principal } from '../core/auth/scopes';
import type { StoredInitialize, StoredMcpSession } from '../core/storage/stores/mcp-session-store';
import { malformedToolCall } from './mcp-call-shape';
import type { McpEndpointDeps } from './mcp-endpoint-deps';
import { governedCall, PROGRESS_EVERY_MS } from './mcp-governed-call';
import { createKeptSessions, STORAGE_CHECK_EVERY_MS } from './mcp-kept-sessions';
import { CATALOG_CHECK_EVERY_MS, LIST_KINDS, listed, listsNow, seenBy, tellListChanges, type ListKind } from './mcp-list-changes';
import { closeOnceAnswered, sameCredential, stopCallsWhenDropped, type McpSession } from './mcp-session';
import { serveSessionPromptsAndResources } from './mcp-session-prompts-resources';
import { endSessionsOfLapsedCredentials, makeRoom, MAX_SESSIONS, NO_ROOM, type OpenSessions } from './mcp-sessions';
import { serveTools } from './mcp-tools';
import { toolSelection, type ToolSelection } from './mcp-tool-selection';
import { readBody } from './read-body';

export const MCP_PATH = '/mcp';

const INSTRUCTIONS =
  "Portcullis governs every call: its policy may run a tool, deny it, or ask the person at the computer first (the call then waits for their answer, up to the approval's timeout). A refused call comes back as an error that says who refused it and why; do not retry it unchanged.";

/**
 * Portcullis as an MCP server over Streamable HTTP at `/mcp`: any MCP client lists the tools the runtime offers
 * and calls them through the same governed path as `tools.call` (policy, approval, sandbox, records, trace).
 * The host's auth gate (Host, Origin, credential) runs before it; a session belongs to the credential that
 * opened it.
 */
export function createMcpEndpoint(deps: McpEndpointDeps) {
  const sessions: OpenSessions = new Map();
  const keptSessions = createKeptSessions(deps, sessions);
  const { kept, forget } = keptSessions;
  const every = deps.progressEveryMs ?? PROGRESS_EVERY_MS;
  const catalogCheck = setInterval(() => {
    if (sessions.size === 0) return;
    endSessionsOfLapsedCredentials(sessions, deps, forget);
    tellListChanges(sessions.values(), listsNow(deps));
  }, CATALOG_CHECK_EVERY_MS);
  catalogCheck.unref();
  keptSessions.forgetLapsed();
  const storageCheck = setInterval(keptSessions.forgetLapsed, STORAGE_CHECK_EVERY_MS);
  storageCheck.unref();

  /** Whether a new session has a place: there is one free, or an open one made room for it. */
  const hasRoom = (principal: Principal) => sessions.size < MAX_SESSIONS || makeRoom(sessions, principal, forget);

  /**
   * A session for a client's initialize (what it sent is kept once the session has its id, before the client is
   * answered), or, given what was kept of one, that session taken up again.
   */
  function newSession(principal: Principal, selection: ToolSelection | null, initialize: StoredInitialize | null, revived?: Pick<StoredMcpSession, 'id' | 'openedAt' | 'conversationId'>): McpSession {
    const server = new Server(
      { name: 'portcullis', version: deps.version },
      { capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true }, completions: {} }, instructions: INSTRUCTIONS },
    );
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => revived?.id ?? randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, session);
        if (initialize) keptSessions.keep(id, session, initialize);
      },
      // Its client ended it (DELETE): it is not taken up again after a restart either.
      onsessionclosed: (id) => {
        sessions.delete(id);
        forget(id);
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
    const session: McpSession = { transport, server, principal, told: { tools: '', prompts: '', resources: '' }, maybeStale, conversationId: revived?.conversationId ?? null, calls: new Map(), endedBecause: null, selection, lastSeen: now, storedSeen: now, openedAt: revived?.openedAt ?? now };
    // What it would be told now: a change from here on is news to it.
    session.told = seenBy(session, listsNow(deps));
    const governed = governedCall(session, deps, every, (sessionId, conversationId) => kept((storage) => storage.setConversation(sessionId, conversationId)));
    const listedNow = (kind: ListKind) => listed(session, kind, listsNow(deps));
    serveTools(session, deps, governed, () => listedNow('tools'));
    serveSessionPromptsAndResources(session, deps, governed, listedNow);
    return session;
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
        const session = sessions.get(id) ?? (await keptSessions.revive(id, principal, (stored, selection) => (hasRoom(principal) ? newSession(principal, selection, stored.initialize, stored) : 'full')));
        if (session === 'full') return refuse(response, 503, NO_ROOM);
        // Another credential's session is not found, as one that never was: nothing says it exists.
        if (!session || !sameCredential(session.principal, principal)) return refuse(response, 404, 'Session not found: initialize a new one.', -32001);
        keptSessions.seen(id, session, principal);
        // The credential as the gate found it just now: a key's scopes and tools hold from its next request.
        session.principal = principal;
        const malformed = malformedToolCall(body);
        if (malformed) return answerError(response, malformed.id, -32602, `Invalid tools/call request: ${malformed.problem}.`);
        stopCallsWhenDropped(session, body, response);
        return session.transport.handleRequest(request, response, body);
      }
      if (request.method !== 'POST') return refuse(response, 400, 'Start with an initialize request (POST) to open a session.');
      // The client started anew instead of going on with the session it had: that one is not kept for it.
      if (reopening && sameCredential(kept((storage) => storage.find(id as string))?.principal, principal)) forget(id as string);
      let selection: ToolSelection | null;
      try {
        selection = toolSelection(request.url);
      } catch (error) {
        return refuse(response, 400, error instanceof Error ? error.message : 'The tools the URL picks cannot be read.');
      }
      if (!hasRoom(principal)) return refuse(response, 503, NO_ROOM);
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

/** A JSON-RPC error answering one request (HTTP 200, as a Streamable HTTP server may answer with JSON). */
function answerError(response: ServerResponse, id: string | number, code: number, message: string): void {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } }));
}

function refuse(response: ServerResponse, status: number, message: string, code = -32000): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
