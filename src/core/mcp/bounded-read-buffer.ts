import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { deserializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { inMegabytes, MAX_MESSAGE_BYTES, MAX_PASSED_OVER_FACTOR, type OnDropped, oversizedAnswer, refuseRequest } from './bounded-fetch';
import { glimpseMessage } from './message-glimpse';

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
 * - a line that says neither, or that goes on past `MAX_PASSED_OVER_FACTOR` × `limit` without ending (a server
 *   flooding its output), ends the connection as the SDK's would, and the server is restarted.
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
    return Buffer.isBuffer(next) ? deserializeMessage(next.toString('utf8').replace(/\r$/, '')) : next;
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
      this.tooLarge();
    }
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
  if (internals._readBuffer !== undefined) internals._readBuffer = new BoundedReadBuffer(limit, onDropped);
}
