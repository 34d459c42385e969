import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { deserializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { inMegabytes, MAX_MESSAGE_BYTES, MAX_PASSED_OVER_FACTOR, type OnDropped, oversizedAnswer, refuseRequest } from './bounded-fetch';
import { glimpseMessage } from './message-glimpse';
import { PendingRequests } from './pending-requests';

/** How much of a line too large to read is kept of its start and of its end, to tell what it was. */
const GLIMPSE_BYTES = 1_024;
const LF = 0x0a;

/**
 * A stdio server's output cut into JSON-RPC messages (one per line), as the SDK's ReadBuffer does, but with a line
 * beyond `limit` bytes treated as a remote server's event is (`bounded-fetch.ts`): passed over unread, and only what
 * it was for fails. The SDK's ends the connection instead, so one 11 MB log notification, or one answer too large,
 * failed every call under way on the server and restarted it.
 * - a request or notification of the server's own is dropped, said through `onDropped` (a request is answered with an
 *   error, or the server would wait for ever);
 * - an answer fails the call whose id its start or end names (an error stands in for it);
 * - a line that says neither is dropped, said, and the server kept (`passedOverUnnamed`: at most the one call
 *   waiting fails);
 * - a line that goes on past `MAX_PASSED_OVER_FACTOR` × `limit` without ending (a server flooding its output) ends
 *   the connection as the SDK's would, and the server is restarted.
 */
export class BoundedReadBuffer {
  /** The line under way, in pieces. */
  private line: Buffer[] = [];
  private lineBytes = 0;
  /** Whole lines and stand-in errors, in order, for `readMessage`. */
  private ready: Array<Buffer | JSONRPCMessage> = [];
  /** The line being passed over: its first bytes, its last ones so far, and how many there were. */
  private passing: { head: Buffer; tail: Buffer; bytes: number } | null = null;

  constructor(
    private readonly limit: number,
    private readonly onDropped: OnDropped,
    /** The requests sent and not yet answered (`measureEachMessage` keeps it as the transport sends). */
    private readonly pending: PendingRequests = new PendingRequests(),
  ) {}

  append(chunk: Buffer): void {
    for (let from = 0; from < chunk.length; ) {
      const end = chunk.indexOf(LF, from);
      const piece = chunk.subarray(from, end === -1 ? chunk.length : end);
      if (this.passing) this.passOver(piece);
      else {
        this.line.push(piece);
        this.lineBytes += piece.length;
        if (this.lineBytes > this.limit) {
          this.passing = { head: Buffer.alloc(0), tail: Buffer.alloc(0), bytes: 0 };
          for (const part of this.line) this.passOver(part);
          this.line = [];
          this.lineBytes = 0;
        }
      }
      if (end === -1) break;
      if (this.passing) this.passedOver();
      else this.ready.push(this.line.length === 1 ? this.line[0]! : Buffer.concat(this.line));
      this.line = [];
      this.lineBytes = 0;
      from = end + 1;
    }
  }

  readMessage(): JSONRPCMessage | null {
    const next = this.ready.shift();
    if (next === undefined) return null;
    const message = Buffer.isBuffer(next) ? deserializeMessage(next.toString('utf8').replace(/\r$/, '')) : next;
    this.pending.read(message);
    return message;
  }

  clear(): void {
    this.line = [];
    this.lineBytes = 0;
    this.ready = [];
    this.passing = null;
  }

  private passOver(piece: Buffer): void {
    const passing = this.passing!;
    if (passing.head.length < GLIMPSE_BYTES) passing.head = Buffer.concat([passing.head, piece.subarray(0, GLIMPSE_BYTES - passing.head.length)]);
    passing.tail = Buffer.concat([passing.tail, piece.subarray(Math.max(0, piece.length - GLIMPSE_BYTES))]).subarray(-GLIMPSE_BYTES);
    passing.bytes += piece.length;
    if (passing.bytes > this.limit * MAX_PASSED_OVER_FACTOR) this.tooLarge();
  }

  /** The line passed over has ended: says what it was, or ends the connection. */
  private passedOver(): void {
    const { head, tail } = this.passing!;
    this.passing = null;
    const glimpse = glimpseMessage(head.toString('utf8'), tail.toString('utf8'));
    const tooLarge = `larger than the ${inMegabytes(this.limit)} that one JSON-RPC message may have`;
    if (glimpse.method !== undefined && glimpse.id !== undefined) {
      refuseRequest(this.onDropped, glimpse.id, glimpse.method, this.limit);
    } else if (glimpse.method !== undefined) {
      this.onDropped(`dropped a message of the server's ${tooLarge} (${glimpse.method}), unread`);
    } else if (glimpse.id !== undefined) {
      this.ready.push(oversizedAnswer(glimpse.id, this.limit, undefined));
      this.onDropped(`dropped the server's answer to request ${JSON.stringify(glimpse.id)}, ${tooLarge}, unread, and failed that call`);
    } else {
      this.passedOverUnnamed(head.toString('utf8'), tooLarge);
    }
  }

  /**
   * A line too large whose start and end name neither a method nor a request. One that is no JSON object (a stray
   * print to stdout) answers nothing: dropped, no call fails. A JSON one may be an answer whose id sits in its middle
   * (the SDKs write it first or last, so that is rare): with one request waiting, it is taken for that one's answer,
   * which fails at once with the error that names the limit rather than at its timeout; with several, none is picked
   * (a wrong pick fails a call that would have had its answer, and the right one still waits): each goes on to its
   * answer or its timeout, as on a remote server's stream. The server is kept either way: restarting it failed every
   * call under way and lost all it held in memory (server-memory's graph, a browser's pages).
   */
  private passedOverUnnamed(head: string, tooLarge: string): void {
    const waiting = this.pending.waiting;
    const json = /^\s*[{[]/.test(head);
    if (json && waiting.length === 1) {
      const id = waiting[0]!;
      this.ready.push(oversizedAnswer(id, this.limit, undefined));
      this.onDropped(`dropped a message of the server's ${tooLarge}, unread; its start and end named no request, and it was taken for the answer to request ${JSON.stringify(id)}, the only one waiting, which failed`);
      return;
    }
    const calls = json && waiting.length > 1 ? `; which of the ${waiting.length} requests waiting it answered cannot be told, so each goes on to its answer or its time limit` : '';
    this.onDropped(`dropped ${json ? 'a message' : 'a line that is no JSON-RPC message'} of the server's ${tooLarge}, unread${json ? '; its start and end said neither what it was nor which request it answered' : ''}${calls}`);
  }

  /** As the SDK's buffer says it (`McpConnection` words it), and the transport then closes. */
  private tooLarge(): never {
    this.clear();
    throw new Error(`ReadBuffer exceeded maximum size of ${this.limit} bytes`);
  }
}

/**
 * Gives a stdio transport a `BoundedReadBuffer` in place of the SDK's. The SDK keeps its buffer private: should that
 * change, its own stays in use (a message too large then restarts the server, as before).
 */
export function measureEachMessage(transport: StdioClientTransport, onDropped: OnDropped, limit = MAX_MESSAGE_BYTES): void {
  const internals = transport as unknown as { _readBuffer?: unknown };
  if (internals._readBuffer === undefined) return;
  const pending = new PendingRequests();
  internals._readBuffer = new BoundedReadBuffer(limit, onDropped, pending);
  // What it sends is seen on the way out: which requests wait for an answer.
  const send = transport.send.bind(transport);
  transport.send = (message) => {
    pending.sent(message);
    return send(message);
  };
}
