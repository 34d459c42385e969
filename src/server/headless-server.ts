import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RequestFrame, ResponseFrame, ServerFrame } from '../shared/api/wire';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';
import { AppError, toWireError } from '../shared/errors';
import { dispatchRequest } from '../core/api/dispatch';
import type { Runtime } from '../core/runtime/create-runtime';
import { readStaticFile } from './static-files';
import { isAllowedHostAndOrigin, isValidToken, presentedToken, tokenCookie } from './token-auth';

export interface HeadlessServerOptions {
  runtime: Runtime;
  rendererDir: string;
  token: string;
  port?: number;
}

export interface HeadlessServer {
  readonly port: number;
  /** The URL to open, token included. */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_FRAME_BYTES = 1_000_000;

/**
 * Serves the built renderer and the API contract over WebSocket on 127.0.0.1 only. Every request must present
 * the access token (query on first visit, then an HttpOnly cookie) and come from this very origin.
 */
export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const { runtime, token } = options;
  const server: Server = createServer((request, response) => void serveHttp(request, response));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let port = 0;

  const authorize = (request: IncomingMessage): { ok: true; setCookie: boolean } | { ok: false; status: number } => {
    if (!isAllowedHostAndOrigin(request, port)) return { ok: false, status: 403 };
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const presented = presentedToken(request, url);
    if (!isValidToken(presented?.value, token)) return { ok: false, status: 401 };
    return { ok: true, setCookie: presented?.via === 'query' };
  };

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const verdict = authorize(request);
    if (!verdict.ok) {
      response.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(
        verdict.status === 403
          ? 'Forbidden: this server only answers requests addressed to 127.0.0.1 from its own pages.\n'
          : 'Unauthorized: open the URL that `portcullis serve` printed; it carries the access token.\n',
      );
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = await readStaticFile(options.rendererDir, new URL(request.url ?? '/', 'http://x').pathname);
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
      ...(verdict.setCookie ? { 'set-cookie': tokenCookie(token) } : {}),
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (request, socket, head) => {
    const verdict = authorize(request);
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (!verdict.ok || path !== '/api') {
      const status = verdict.ok ? '404 Not Found' : verdict.status === 403 ? '403 Forbidden' : '401 Unauthorized';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    const send = (frame: ServerFrame): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const subscription = runtime.onDidEmit((event) => send({ type: 'event', ...event }));
    ws.on('close', () => subscription.dispose());
    ws.on('message', async (data) => {
      let frame: Partial<RequestFrame>;
      try {
        frame = JSON.parse(data.toString()) as Partial<RequestFrame>;
      } catch {
        send(badFrame(-1, 'The message is not valid JSON.'));
        return;
      }
      if (frame?.type !== 'request' || typeof frame.id !== 'number') {
        send(badFrame(typeof frame?.id === 'number' ? frame.id : -1, 'Expected {"type":"request","id":<number>,"channel":...,"input":...}.'));
        return;
      }
      const result = await dispatchRequest(runtime.handlers, frame.channel, frame.input);
      send({ type: 'response', id: frame.id, ...result });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function badFrame(id: number, message: string): ResponseFrame {
  return { type: 'response', id, ok: false, error: toWireError(new AppError('VALIDATION_FAILED', message)) };
}
