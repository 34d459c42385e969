import type { PortcullisBridge } from '../../../shared/api/bridge';
import { isEventChannel, type RequestChannel } from '../../../shared/api/channels';
import type { AppEvent } from '../../../shared/api/contract';
import { MAX_REQUEST_BYTES, type InvokeResult, type RequestFrame, type ServerFrame } from '../../../shared/api/wire';
import { AppError } from '../../../shared/errors';
import type { ConnectionSource, ConnectionStatus } from './connection';

export const TOKEN_STORAGE_KEY = 'portcullis.token';

const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 10_000;

/**
 * Takes the access token from `?token=` (the headless host prints a link with it), keeps it in
 * sessionStorage for reloads, and removes it from the address bar so it is not left in history or shared.
 * A tab opened with the bare address has none: no cookie carries it, since a cookie of 127.0.0.1 goes to every port.
 */
export function takeTokenFromLocation(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      window.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token still works for this page's lifetime.
    }
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

/** `ws(s)://<host>/api?token=…` for the page's own host. */
export function apiSocketUrl(token: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/api?token=${encodeURIComponent(token)}`;
}

interface Pending {
  frame: RequestFrame;
  /** The frame as sent, serialized once. */
  data: string;
  sent: boolean;
  resolve: (result: InvokeResult) => void;
  reject: (error: AppError) => void;
}

/**
 * The browser transport: one WebSocket to the headless host, request/response by id, events pushed.
 * Reconnects with exponential backoff; requests in flight when the socket closes are rejected.
 */
export class WsTransport implements PortcullisBridge, ConnectionSource {
  private readonly url: string;
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(event: AppEvent) => void>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private currentStatus: ConnectionStatus = { state: 'connecting', epoch: 0, failedAttempts: 0 };

  constructor(url: string) {
    this.url = url;
    this.connect();
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  onDidChangeStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onEvent(listener: (event: AppEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  invoke(channel: RequestChannel, input: unknown): Promise<InvokeResult> {
    if (this.currentStatus.state === 'closed') {
      return Promise.reject(
        new AppError(
          'INTERNAL',
          'Not connected to Portcullis right now; it is reconnecting. Try again in a moment.',
        ),
      );
    }
    const frame: RequestFrame = { type: 'request', id: this.nextId++, channel, input };
    const data = JSON.stringify(frame);
    // The host closes the socket on a frame over its limit, which would cost every request in flight: refused here.
    const bytes = new TextEncoder().encode(data).length;
    if (bytes > MAX_REQUEST_BYTES) return Promise.reject(tooLarge(bytes));
    return new Promise<InvokeResult>((resolve, reject) => {
      const entry: Pending = { frame, data, sent: false, resolve, reject };
      this.pending.set(frame.id, entry);
      if (this.currentStatus.state === 'open') this.send(entry);
    });
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.close(1000, 'closing');
    this.rejectAll('The page closed the connection to Portcullis.');
  }

  private connect(): void {
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.setStatus({ ...this.currentStatus, state: 'closed' });
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.setStatus({ ...this.currentStatus, state: 'connecting' });
    socket.addEventListener('open', () => {
      if (socket !== this.socket) return;
      this.setStatus({ state: 'open', epoch: this.currentStatus.epoch + 1, failedAttempts: 0 });
      for (const entry of this.pending.values()) if (!entry.sent) this.send(entry);
    });
    socket.addEventListener('message', (message) => {
      if (socket === this.socket) this.receive(message.data);
    });
    socket.addEventListener('close', () => {
      if (socket !== this.socket) return;
      this.socket = null;
      const wasOpen = this.currentStatus.state === 'open';
      this.setStatus({
        ...this.currentStatus,
        state: 'closed',
        failedAttempts: wasOpen ? 0 : this.currentStatus.failedAttempts + 1,
      });
      this.rejectAll(
        'The connection to Portcullis closed before it answered. It is reconnecting; try again in a moment.',
      );
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.disposed) return;
    const attempt = this.currentStatus.failedAttempts;
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** attempt);
    const delay = base / 2 + Math.random() * (base / 2);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private send(entry: Pending): void {
    try {
      this.socket?.send(entry.data);
      entry.sent = true;
    } catch {
      this.pending.delete(entry.frame.id);
      entry.reject(new AppError('INTERNAL', 'Could not send the request to Portcullis. Try again in a moment.'));
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'response') {
      const entry = this.pending.get(frame.id);
      if (!entry) return;
      this.pending.delete(frame.id);
      entry.resolve(frame.ok ? { ok: true, output: frame.output } : { ok: false, error: frame.error });
    } else if (frame.type === 'event' && isEventChannel(frame.channel)) {
      const event = { channel: frame.channel, payload: frame.payload } as AppEvent;
      for (const listener of [...this.eventListeners]) {
        try {
          listener(event);
        } catch (error) {
          console.error('An event listener failed', error);
        }
      }
    }
  }

  private rejectAll(message: string): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) entry.reject(new AppError('INTERNAL', message));
  }

  private setStatus(status: ConnectionStatus): void {
    this.currentStatus = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }
}

function tooLarge(bytes: number): AppError {
  const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;
  return new AppError('VALIDATION_FAILED', `That is too much to send at once (${mb(bytes)}; the most is ${mb(MAX_REQUEST_BYTES)}). Nothing was sent.`);
}
