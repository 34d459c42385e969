import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Pending {
  state: string;
  resolve(code: string): void;
  reject(error: Error): void;
}

const page = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family: system-ui; margin: 3em"><h1>${title}</h1><p>${text}</p></body>`;
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The server a callback path names; undefined for any other path, or one that does not decode (any local program can send one). */
function serverOf(pathname: string): string | undefined {
  const prefix = '/oauth/callback/';
  if (!pathname.startsWith(prefix)) return undefined;
  try {
    return decodeURIComponent(pathname.slice(prefix.length));
  } catch {
    return undefined;
  }
}

/**
 * Where a remote MCP server's sign-in returns: a loopback HTTP listener (127.0.0.1, a port of its own, started at
 * the first sign-in), one path per server. A code is taken only with the state its sign-in was started with.
 */
export class OAuthCallbackServer {
  private server: Server | null = null;
  private port = 0;
  private readonly pending = new Map<string, Pending>();

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const server = serverOf(url.pathname);
      const waiting = server === undefined ? undefined : this.pending.get(server);
      const send = (status: number, title: string, text: string) => response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(page(title, text));
      if (server === undefined || !waiting || url.searchParams.get('state') !== waiting.state) {
        send(400, 'Not expected', 'Portcullis is not waiting for this sign-in. Start it again from Tools &amp; servers.');
        return;
      }
      this.pending.delete(server);
      const code = url.searchParams.get('code');
      if (!code) {
        const why = url.searchParams.get('error_description') ?? url.searchParams.get('error') ?? 'no code came back';
        waiting.reject(new Error(`the sign-in did not complete: ${why}`));
        send(400, 'Not signed in', `Signing in to ${escapeHtml(server)} did not complete: ${escapeHtml(why)}.`);
        return;
      }
      waiting.resolve(code);
      send(200, 'Signed in', `Portcullis is signed in to ${escapeHtml(server)}. You can close this tab.`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Where `server`'s sign-in returns; `start` must have run. */
  redirectUrl(server: string): string {
    return `http://127.0.0.1:${this.port}/oauth/callback/${encodeURIComponent(server)}`;
  }

  /** The authorization code that comes back for `server` with `state` (a newer sign-in replaces an older one). */
  expect(server: string, state: string): Promise<string> {
    this.pending.get(server)?.reject(new Error('a newer sign-in replaced this one'));
    return new Promise((resolve, reject) => this.pending.set(server, { state, resolve, reject }));
  }

  async dispose(): Promise<void> {
    for (const waiting of this.pending.values()) waiting.reject(new Error('Portcullis is shutting down'));
    this.pending.clear();
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
