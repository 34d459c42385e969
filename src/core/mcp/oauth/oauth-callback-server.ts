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
 * Where a remote MCP server's sign-in returns: loopback HTTP listeners on 127.0.0.1, started at the first sign-in.
 * The shared one has a port of its own and one path per server; a server whose client was registered with a fixed
 * callback (`oauth.callbackPort`) gets a listener on that port, at `/callback`. A code is taken only with the state
 * its sign-in was started with.
 */
export class OAuthCallbackServer {
  /** By the port asked for: 0 is the shared listener. */
  private readonly listeners = new Map<number, Promise<Server>>();
  private sharedPort = 0;
  private readonly pending = new Map<string, Pending>();

  /** Listens on `port` (0: the shared listener) unless it already does. */
  async start(port = 0): Promise<void> {
    let listening = this.listeners.get(port);
    if (!listening) {
      listening = this.listen(port);
      this.listeners.set(port, listening);
      listening.catch(() => this.listeners.delete(port)); // tried again at the next sign-in
    }
    const server = await listening;
    if (port === 0) this.sharedPort = (server.address() as AddressInfo).port;
  }

  /** Where `server`'s sign-in returns; `start(port)` must have run. */
  redirectUrl(server: string, port?: number): string {
    return port ? `http://localhost:${port}/callback` : `http://127.0.0.1:${this.sharedPort}/oauth/callback/${encodeURIComponent(server)}`;
  }

  /** The authorization code that comes back for `server` with `state` (a newer sign-in replaces an older one). */
  expect(server: string, state: string): Promise<string> {
    this.pending.get(server)?.reject(new Error('a newer sign-in replaced this one'));
    return new Promise((resolve, reject) => this.pending.set(server, { state, resolve, reject }));
  }

  async dispose(): Promise<void> {
    for (const waiting of this.pending.values()) waiting.reject(new Error('Portcullis is shutting down'));
    this.pending.clear();
    const listeners = [...this.listeners.values()];
    this.listeners.clear();
    await Promise.all(
      listeners.map((listening) =>
        listening.then(
          (server) => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
          () => undefined,
        ),
      ),
    );
  }

  private async listen(port: number): Promise<Server> {
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const send = (status: number, title: string, text: string) => response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(page(title, text));
      const name = port === 0 ? serverOf(url.pathname) : this.waitingOnFixedPort(url);
      const waiting = name === undefined ? undefined : this.pending.get(name);
      if (name === undefined || !waiting || url.searchParams.get('state') !== waiting.state) {
        send(400, 'Not expected', 'Portcullis is not waiting for this sign-in. Start it again from Tools &amp; servers.');
        return;
      }
      this.pending.delete(name);
      const code = url.searchParams.get('code');
      if (!code) {
        const why = url.searchParams.get('error_description') ?? url.searchParams.get('error') ?? 'no code came back';
        waiting.reject(new Error(`the sign-in did not complete: ${why}`));
        send(400, 'Not signed in', `Signing in to ${escapeHtml(name)} did not complete: ${escapeHtml(why)}.`);
        return;
      }
      waiting.resolve(code);
      send(200, 'Signed in', `Portcullis is signed in to ${escapeHtml(name)}. You can close this tab.`);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new Error(`its sign-in callback port ${port} (oauth.callbackPort) is in use by another program`) : error),
      );
      server.listen(port, '127.0.0.1', resolve);
    });
    server.unref();
    return server;
  }

  /** A fixed port's `/callback` names no server: the one whose sign-in was started with the state it carries. */
  private waitingOnFixedPort(url: URL): string | undefined {
    if (url.pathname !== '/callback') return undefined;
    const state = url.searchParams.get('state');
    for (const [name, waiting] of this.pending) if (waiting.state === state) return name;
    return undefined;
  }
}
