import { chmodSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_REQUEST_BYTES, type RequestFrame, type ResponseFrame, type ServerFrame } from '../shared/api/wire';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';
import { AppError, toWireError } from '../shared/errors';
import { Authenticator } from '../core/auth/authenticator';
import { dispatchAuthorized } from '../core/auth/authorized-dispatch';
import { withRequestSignal } from '../core/api/request-signal';
import { mayReceive, requiredScope } from '../core/auth/channel-scopes';
import { FailureLimiter } from '../core/auth/failure-limiter';
import type { JwtVerifier } from '../core/auth/jwt-verifier';
import { hasScope, type Principal } from '../core/auth/scopes';
import type { Runtime } from '../core/runtime/create-runtime';
import { ComposerCatalog } from '../core/mcp/composer-catalog';
import { createAuthGate, stderrAuthLog, type AuthLog, type GateVerdict } from './auth-gate';
import { API_PATH_PREFIX, send, serveHttpApi } from './http-api';
import { createMcpEndpoint, MCP_PATH } from './mcp-endpoint';
import { readStaticFile } from './static-files';
import { generateToken, isAllowedHostAndOrigin, pageCookie, presentsPageCookie } from './token-auth';
import { freedTerminalSocket, makeTerminalFolder, newTerminalToken, removeTerminalAccess, removeTerminalSocketFolder, terminalSocketPath, writeTerminalAccess } from '../core/runtime/terminal-access';

export interface HeadlessServerOptions {
  runtime: Runtime;
  /** The built renderer to serve; omitted for an API-only server (the desktop app's local API). */
  rendererDir?: string;
  /** The printed-URL session token (full access). Omitted: only API keys and JWTs get in. */
  token?: string;
  port?: number;
  /** JWT access, when the person configured it. */
  jwt?: JwtVerifier | null;
  /** Failed authentications allowed per client in the window before 429 (default 20 per minute). */
  authFailures?: { maxFailures: number; windowMs: number };
  log?: AuthLog;
  /**
   * Only a `portcullis` command on this data folder gets in (its terminal-access.json token), on a Unix socket (a
   * named pipe on Windows) rather than a port: the desktop app with its local API off, so that `tools list` and
   * `tools call` still go through it while nothing listens on the network. No key, JWT or MCP client.
   */
  terminalOnly?: boolean;
  /** Test hook: how often the `/mcp` endpoint tells a client its call still waits (default 5 s). */
  mcpProgressEveryMs?: number;
}

export interface HeadlessServer {
  readonly port: number;
  /** The URL to open, token included (the bare origin when there is no session token). */
  readonly url: string;
  close(): Promise<void>;
}

const REFUSAL_TEXT: Record<401 | 403 | 429, string> = {
  401: 'Unauthorized: open the URL that `portcullis serve` printed, or send `Authorization: Bearer <API key or JWT>`.\n',
  403: 'Forbidden: this server only answers requests addressed to 127.0.0.1 from its own pages.\n',
  429: 'Too many failed authentications from this client; wait a minute and try again.\n',
};

/** A real key that no longer works says why, so its script's owner does not hunt for a typo. */
function refusalText(verdict: Extract<GateVerdict, { ok: false }>): string {
  const newKey = 'create a new one with `portcullis keys create` or under Settings → Local API keys.\n';
  if (verdict.key?.kind === 'revoked') return `Unauthorized: this API key was revoked; ${newKey}`;
  if (verdict.key?.kind === 'expired') {
    const when = new Date(verdict.key.expiredAt).toISOString().slice(0, 16).replace('T', ' ');
    return `Unauthorized: this API key expired on ${when} UTC; ${newKey}`;
  }
  return REFUSAL_TEXT[verdict.status];
}

/**
 * The contract over WebSocket (`/api`) and HTTP (`POST /api/<channel>`), plus the built renderer, on 127.0.0.1
 * only. Every request passes the auth gate (Host/Origin, failure rate limit, credential) and every call the
 * scope check of its channel. No CORS headers are ever sent.
 */
export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const { runtime, token } = options;
  const log = options.log ?? stderrAuthLog;
  const server: Server = createServer((request, response) => {
    serveHttp(request, response).catch((error: unknown) => {
      console.error('portcullis: a request failed', error instanceof Error ? error.message : 'unknown error');
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Internal error\n');
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  let port = 0;
  // A `portcullis` command on this data folder goes through this server (its token in terminal-access.json), so what
  // it lists and calls are this process's servers and governed calls, not copies of its own. Only the folder's owner.
  const terminalToken = runtime.ownsDataFolder ? newTerminalToken() : undefined;
  const authenticator = new Authenticator(
    options.terminalOnly ? { apiKeys: runtime.apiKeys, jwt: null, terminalToken, terminalOnly: true } : { sessionToken: token, apiKeys: runtime.apiKeys, jwt: options.jwt ?? null, terminalToken },
  );
  const gate = createAuthGate({
    authenticator,
    limiter: new FailureLimiter(options.authFailures ?? { maxFailures: 20, windowMs: 60_000 }),
    log,
    port: () => port,
  });

  // Portcullis as a governed MCP gateway for other MCP clients, behind the same gate as the API. Its resource
  // templates are asked of the servers as the composer's lists are (no local API channel lists them).
  const templateCatalog = new ComposerCatalog(runtime.mcp);
  const mcp = createMcpEndpoint({
    version: (await runtime.handlers['app.info']({})).version,
    tools: () => runtime.listTools(),
    absentTools: () => [...runtime.mcp.heldBack(), ...runtime.mcp.turnedOff()].map((tool) => tool.name),
    serverNamespaces: () => runtime.mcp.status().map((server) => server.toolPrefix),
    serverLists: (kind) => runtime.mcp.connections().flatMap((connection) => {
      const version = connection.listVersion(kind);
      return version === null ? [] : [{ server: connection.name, version }];
    }),
    call: (input, callOptions) => runtime.callGoverned(input, callOptions),
    awaitingApproval: async (conversationId) => (await runtime.handlers['approvals.pending']({})).some((request) => request.conversationId === conversationId),
    keyName: (id) => runtime.apiKeys.list().find((key) => key.id === id)?.name,
    current: (principal) => authenticator.current(principal),
    api: (principal, channel, input) => dispatchAuthorized(runtime.handlers, principal, channel, input),
    redact: (value) => runtime.redactor.redactValue(value),
    // In process, as the person: every server's resources, then those of a template the URI is one of.
    serversListing: async (uri) => [
      ...(await runtime.handlers['resources.list']({})).resources.filter((resource) => resource.uri === uri).map((resource) => resource.server),
      ...(await templateCatalog.resourceTemplates()).templates.filter((template) => new UriTemplate(template.uriTemplate).match(uri) !== null).map((template) => template.server),
    ],
    allPrompts: async () => (await runtime.handlers['prompts.list']({})).prompts,
    resourceTemplates: async () => (await templateCatalog.resourceTemplates()).templates,
    completeTemplate: (server, request) => templateCatalog.completeTemplate(server, request),
    refused: (refused) => runtime.recordRefusedCall(refused),
    // A session outlives a restart: its clients do not initialize again when told it is unknown.
    storage: runtime.mcpSessions,
    instance: runtime.instance,
    ...(options.mcpProgressEveryMs ? { progressEveryMs: options.mcpProgressEveryMs } : {}),
  });

  // The page's files are served by a cookie of their own after the link opened them (a reload, an asset), never by
  // the session token as a cookie: 127.0.0.1's cookies go to every port of it (token-auth.ts, PAGE_COOKIE).
  const pageValue = generateToken();
  const presentsPageCookieHere = (request: IncomingMessage): boolean => token !== undefined && isAllowedHostAndOrigin(request, port) && presentsPageCookie(request, pageValue, port);

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const isApi = path.startsWith(API_PATH_PREFIX) || path === MCP_PATH;
    let setCookie = false;
    if (isApi || !presentsPageCookieHere(request)) {
      const verdict = await gate(request, { allowQuery: !isApi });
      if (!verdict.ok) return refuseHttp(response, verdict, isApi);
      if (path === MCP_PATH && options.terminalOnly) return send(response, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'MCP clients are served once Settings → Local API is on.' } });
      if (path === MCP_PATH) return mcp.handle(request, response, verdict.principal);
      if (isApi) {
        return serveHttpApi(request, response, runtime.handlers, verdict.principal, (channel) =>
          log({ event: 'auth.failed', reason: forbiddenReason(verdict.principal, channel), status: 403, client: request.socket.remoteAddress ?? 'unknown', method: 'POST', path: path.slice(0, 200) }),
        );
      }
      setCookie = verdict.setCookie;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = options.rendererDir ? await readStaticFile(options.rendererDir, path) : null;
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    response.writeHead(200, {
      'content-type': file.contentType,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      ...(setCookie && token ? { 'set-cookie': pageCookie(pageValue, port) } : {}),
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (request, socket, head) => {
    void gate(request, { allowQuery: true }).then((verdict) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (!verdict.ok || path !== '/api') {
        const status = verdict.ok ? '404 Not Found' : { 401: '401 Unauthorized', 403: '403 Forbidden', 429: '429 Too Many Requests' }[verdict.status];
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, verdict.principal, request.socket.remoteAddress ?? 'unknown'));
    }, () => socket.destroy());
  });

  function serveSocket(ws: WebSocket, opener: Principal, client: string): void {
    const sendFrame = (frame: ServerFrame): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    // The credential as it stands now: a key's scopes and tools changed (keys update) hold from its next request.
    let principal = opener;
    // A connection lives only as long as its credential: a revoked key or an expired JWT closes it (4401).
    const stillValid = (): boolean => {
      const current = authenticator.current(principal);
      if (current) {
        principal = current;
        return true;
      }
      ws.close(4401, 'credential revoked or expired');
      return false;
    };
    const subscription = runtime.onDidEmit((event) => {
      if (stillValid() && mayReceive(principal, event.channel)) sendFrame({ type: 'event', ...event });
    });
    // Requests still under way when the socket closes end with it (a call waiting for the person is withdrawn).
    const gone = new AbortController();
    ws.on('close', () => {
      subscription.dispose();
      gone.abort(new AppError('TOOL_CANCELLED', 'The caller closed its connection before the answer came.'));
    });
    ws.on('message', async (data) => {
      if (!stillValid()) return;
      let frame: Partial<RequestFrame>;
      try {
        frame = JSON.parse(data.toString()) as Partial<RequestFrame>;
      } catch {
        sendFrame(badFrame(-1, 'The message is not valid JSON.'));
        return;
      }
      if (frame?.type !== 'request' || typeof frame.id !== 'number') {
        sendFrame(badFrame(typeof frame?.id === 'number' ? frame.id : -1, 'Expected {"type":"request","id":<number>,"channel":...,"input":...}.'));
        return;
      }
      const result = await withRequestSignal(gone.signal, () => dispatchAuthorized(runtime.handlers, principal, frame.channel, frame.input));
      if (!result.ok && result.error.code === 'FORBIDDEN') {
        log({ event: 'auth.failed', reason: forbiddenReason(principal, frame.channel), status: 403, client, method: 'WS', path: '/api' });
      }
      sendFrame({ type: 'response', id: frame.id, ...result });
    });
  }

  let socket = options.terminalOnly ? terminalSocketPath(runtime.paths.dataDir) : undefined;
  if (socket) makeTerminalFolder(runtime.paths.dataDir);
  // The folder's owner alone serves it, so what sits at the socket's name is a crashed run's or a hand's: never a reason not to start.
  if (socket && process.platform !== 'win32') socket = freedTerminalSocket(socket, (words) => console.error(`portcullis: ${words}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (socket) server.listen(socket, () => resolve());
    else server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  if (socket && process.platform !== 'win32') chmodSync(socket, 0o600);
  port = socket ? 0 : (server.address() as AddressInfo).port;
  if (terminalToken) {
    try {
      const note = (words: string): void => console.error(`portcullis: ${words}`);
      writeTerminalAccess(runtime.paths.dataDir, socket ? { pid: process.pid, socket, token: terminalToken } : { pid: process.pid, port, token: terminalToken }, note);
    } catch (error) {
      // Commands then start copies of their own, as before; the server itself is fine.
      console.error('portcullis: could not write terminal-access.json:', error instanceof Error ? error.message : 'unknown error');
    }
  }

  return {
    port,
    url: token ? `http://127.0.0.1:${port}/?token=${token}` : `http://127.0.0.1:${port}/`,
    close: async () => {
      if (terminalToken) removeTerminalAccess(runtime.paths.dataDir, terminalToken);
      await mcp.close();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (socket) removeTerminalSocketFolder(runtime.paths.dataDir, socket);
    },
  };
}

function refuseHttp(response: ServerResponse, verdict: Extract<GateVerdict, { ok: false }>, asJson: boolean): void {
  const headers: Record<string, string> = verdict.retryAfterSeconds ? { 'retry-after': String(verdict.retryAfterSeconds) } : {};
  if (asJson) {
    const code = verdict.status === 429 ? 'RATE_LIMITED' : verdict.status === 403 ? 'FORBIDDEN' : 'UNAUTHORIZED';
    return send(response, verdict.status, { ok: false, error: { code, message: refusalText(verdict).trim() } }, headers);
  }
  response.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  response.end(refusalText(verdict));
}

function badFrame(id: number, message: string): ResponseFrame {
  return { type: 'response', id, ok: false, error: toWireError(new AppError('VALIDATION_FAILED', message)) };
}

/**
 * Why a request was answered FORBIDDEN, for the log: the scope it lacked, or, with the scope, the channel's own
 * refusal (a tool outside a key's list, a `memory.*` tool for a `tools` key), which no scope would have changed.
 */
function forbiddenReason(principal: Principal, channel: unknown): string {
  const scope = requiredScope(channel);
  return hasScope(principal, scope) ? `refused:${String(channel).slice(0, 100)}` : `insufficient-scope:${scope}`;
}
