import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { McpError, type JSONRPCErrorResponse, type RequestId } from '@modelcontextprotocol/sdk/types.js';

/** The most one JSON-RPC message from a server may take: the SDK's limit for a stdio frame, a remote server's too. */
export const MAX_MESSAGE_BYTES = STDIO_DEFAULT_MAX_BUFFER_SIZE;

/**
 * The code of the error that stands in for an answer larger than that: in JSON-RPC's range for implementations, so it
 * is told from the server's own errors. (A server that sends it itself only fails its own call.)
 */
export const OVERSIZED_MESSAGE_CODE = -32_099;

/** What the stand-in error carries: the limit, and the answer's size when the server declared it. */
export interface OversizedMessageData {
  portcullis: 'oversized-message';
  limit: number;
  bytes?: number;
}

/** Said by a stream cut at the limit: what `isOversizedStream` recognises in the error the transport reports. */
const CUT_MARK = 'one JSON-RPC message may have; Portcullis stopped reading';

/** An event stream, or another body, that went past the limit where no request it answers is known. */
export class OversizedMessageError extends Error {
  constructor(limit: number) {
    super(`The server sent a message larger than the ${inMegabytes(limit)} that ${CUT_MARK} it`);
    this.name = 'OversizedMessageError';
  }
}

/** Whether the transport's error is a stream this fetch cut (the SDK reports it wrapped in words of its own). */
export function isOversizedStream(error: Error): boolean {
  return error instanceof OversizedMessageError || error.message.includes(CUT_MARK);
}

/** The answer the call gets instead of one too large to read: an error, so that call fails and no other. */
export function isOversizedAnswer(error: unknown): error is McpError & { data: OversizedMessageData } {
  return error instanceof McpError && error.code === OVERSIZED_MESSAGE_CODE && (error.data as Partial<OversizedMessageData> | undefined)?.portcullis === 'oversized-message';
}

/** "10 MB": the limit as the person reads it. */
export function inMegabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/**
 * A `fetch` for a remote server's transport that reads no message beyond `limit` bytes, as the SDK's stdio transport
 * reads no frame beyond it. Without it, the SDK reads a whole answer into memory before looking at it, so a server
 * could send hundreds of megabytes.
 *
 * - An answer to a POST (JSON, or an event stream) larger than the limit is not read further: the request it answers
 *   gets an error in its place, so that call fails and the session and the other calls on it go on.
 * - An event stream is measured event by event, not over its life: a long-lived stream of small notifications is
 *   fine. An event too large on a stream that answers no known request (the GET stream) ends the stream, with an
 *   `OversizedMessageError`.
 * - Any other body (an error page, an OAuth document) fails to read beyond the limit.
 */
export function boundedFetch(limit: number = MAX_MESSAGE_BYTES, base: FetchLike = (url, init) => fetch(url, init)): FetchLike {
  return async (url, init) => {
    const response = await base(url, init);
    if (!response.body || NULL_BODY_STATUSES.has(response.status)) return response;
    const requestIds = requestIdsOf(init);
    const type = mediaType(response.headers.get('content-type'));
    const declared = Number(response.headers.get('content-length') ?? NaN);
    const bytes = Number.isFinite(declared) && !response.headers.has('content-encoding') ? declared : undefined;
    const answered = requestIds.length > 0 && response.ok;
    if (answered && type === 'application/json') return boundedJson(response, requestIds, limit, bytes);
    if (type === 'text/event-stream') {
      return rebuilt(response, response.body.pipeThrough(eventBoundedStream(limit, answered ? requestIds : [])));
    }
    return rebuilt(response, response.body.pipeThrough(totalBoundedStream(limit)));
  };
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** The same response with another body (its length and encoding no longer describe it). */
function rebuilt(response: Response, body: ReadableStream<Uint8Array> | string): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** A JSON answer read up to the limit; beyond it, an error for each request it answers instead. */
async function boundedJson(response: Response, requestIds: RequestId[], limit: number, bytes: number | undefined): Promise<Response> {
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // A declared length beyond the limit is not read at all.
  while (bytes === undefined || bytes <= limit) {
    const { value, done } = await reader.read();
    if (done) return rebuilt(response, streamOf(chunks));
    total += value.byteLength;
    chunks.push(value);
    if (total > limit) break;
  }
  chunks.length = 0;
  await reader.cancel().catch(() => undefined);
  const errors = requestIds.map((id) => oversizedAnswer(id, limit, bytes));
  return rebuilt(response, JSON.stringify(errors.length === 1 ? errors[0] : errors));
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

function oversizedAnswer(id: RequestId, limit: number, bytes: number | undefined): JSONRPCErrorResponse {
  const data: OversizedMessageData = { portcullis: 'oversized-message', limit, ...(bytes !== undefined ? { bytes } : {}) };
  return { jsonrpc: '2.0', id, error: { code: OVERSIZED_MESSAGE_CODE, message: `Its answer was larger than the ${inMegabytes(limit)} that ${CUT_MARK} it`, data } };
}

/** The ids of the requests a POST sends (the SDK sends one message, or a batch), whose answers its response holds. */
function requestIdsOf(init: RequestInit | undefined): RequestId[] {
  if (init?.method !== 'POST' || typeof init.body !== 'string') return [];
  try {
    const sent: unknown = JSON.parse(init.body);
    return (Array.isArray(sent) ? sent : [sent])
      .filter((message): message is { id: RequestId; method: string } => typeof message?.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number'))
      .map((message) => message.id);
  } catch {
    return [];
  }
}

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Passes a body on until it has passed `limit` bytes, then fails it. */
function totalBoundedStream(limit: number): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  return new TransformStream({
    transform(chunk, controller) {
      total += chunk.byteLength;
      if (total > limit) controller.error(new OversizedMessageError(limit));
      else controller.enqueue(chunk);
    },
  });
}

const LF = 0x0a;
const CR = 0x0d;

/** Where the lines of a chunk end (its next CR or LF), each found by a native search that is not repeated. */
class LineEnds {
  private nextLF = -1;
  private nextCR = -1;
  private readonly chunk: Uint8Array;

  constructor(chunk: Uint8Array) {
    this.chunk = chunk;
  }

  /** The index of the first CR or LF at or after `i`, or the chunk's length. */
  after(i: number): number {
    if (this.nextLF !== this.chunk.length && this.nextLF < i) this.nextLF = this.find(LF, i);
    if (this.nextCR !== this.chunk.length && this.nextCR < i) this.nextCR = this.find(CR, i);
    return Math.min(this.nextLF, this.nextCR);
  }

  private find(byte: number, from: number): number {
    const at = this.chunk.indexOf(byte, from);
    return at === -1 ? this.chunk.length : at;
  }
}

/**
 * Passes an event stream on one whole event at a time, each held back until its blank line (the SDK's parser cannot
 * use it before then either). An event beyond `limit` bytes is dropped unread: the requests the stream answers get
 * an error event in its place and the stream ends; on a stream that answers none, the stream fails.
 */
function eventBoundedStream(limit: number, requestIds: RequestId[]): TransformStream<Uint8Array, Uint8Array> {
  let held: Uint8Array[] = [];
  let eventBytes = 0;
  let lineBytes = 0;
  let afterCR = false;
  return new TransformStream({
    transform(chunk, controller) {
      let from = 0; // where the event under way starts in this chunk
      const ends = new LineEnds(chunk);
      let i = 0;
      while (i < chunk.length) {
        if (afterCR && chunk[i] === LF) {
          afterCR = false; // the LF of a CRLF: the line already ended at its CR
          eventBytes++;
          i++;
          continue;
        }
        afterCR = false;
        // The line's text up to its end (or the chunk's), counted at once rather than byte by byte.
        const next = ends.after(i);
        if (next > i) {
          lineBytes += next - i;
          eventBytes += next - i;
          if (eventBytes > limit) {
            held = [];
            if (requestIds.length === 0) return controller.error(new OversizedMessageError(limit));
            const errors = requestIds.map((id) => `event: message\ndata: ${JSON.stringify(oversizedAnswer(id, limit, undefined))}\n\n`).join('');
            controller.enqueue(new TextEncoder().encode(errors));
            return controller.terminate();
          }
          i = next;
          continue;
        }
        // A line ended; an empty one ends the event, which is passed on whole (with the LF of its CRLF).
        eventBytes++;
        afterCR = chunk[i] === CR;
        i++;
        if (lineBytes > 0) {
          lineBytes = 0;
          continue;
        }
        if (afterCR && chunk[i] === LF) {
          afterCR = false;
          i++;
        }
        for (const part of held) controller.enqueue(part);
        controller.enqueue(chunk.subarray(from, i));
        held = [];
        from = i;
        eventBytes = 0;
      }
      if (from < chunk.length) held.push(chunk.subarray(from));
    },
    flush(controller) {
      for (const part of held) controller.enqueue(part);
    },
  });
}
