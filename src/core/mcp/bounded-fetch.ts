import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { McpError, type JSONRPCErrorResponse, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { responseWithBody } from '../response-with-body';
import { glimpseEvent } from './message-glimpse';

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
 *   fine. An event too large that is the server's own message (a notification or a request, on any stream) is passed
 *   over unread and said through `onDropped`, a request answered with an error; an answer on a stream that is no
 *   POST's (the GET stream) fails the call whose id it says (`eventBoundedStream`).
 * - Any other body (an error page, an OAuth document) fails to read beyond the limit.
 */
export function boundedFetch(limit: number = MAX_MESSAGE_BYTES, base: FetchLike = (url, init) => fetch(url, init), onDropped?: OnDropped): FetchLike {
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
      return responseWithBody(response, response.body.pipeThrough(eventBoundedStream(limit, answered ? requestIds : [], onDropped)));
    }
    return responseWithBody(response, response.body.pipeThrough(totalBoundedStream(limit)));
  };
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** A JSON answer read up to the limit; beyond it, an error for each request it answers instead. */
async function boundedJson(response: Response, requestIds: RequestId[], limit: number, bytes: number | undefined): Promise<Response> {
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // A declared length beyond the limit is not read at all.
  while (bytes === undefined || bytes <= limit) {
    const { value, done } = await reader.read();
    if (done) return responseWithBody(response, streamOf(chunks));
    total += value.byteLength;
    chunks.push(value);
    if (total > limit) break;
  }
  chunks.length = 0;
  await reader.cancel().catch(() => undefined);
  const errors = requestIds.map((id) => oversizedAnswer(id, limit, bytes));
  return responseWithBody(response, JSON.stringify(errors.length === 1 ? errors[0] : errors));
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** The error that stands in for the answer to request `id`, too large to read. */
export function oversizedAnswer(id: RequestId, limit: number, bytes: number | undefined): JSONRPCErrorResponse {
  const data: OversizedMessageData = { portcullis: 'oversized-message', limit, ...(bytes !== undefined ? { bytes } : {}) };
  return { jsonrpc: '2.0', id, error: { code: OVERSIZED_MESSAGE_CODE, message: `Its answer was larger than the ${inMegabytes(limit)} that ${CUT_MARK} it`, data } };
}

/** A request of the server's too large to read (elicitation/create, sampling/createMessage…): it waits for an answer. */
export interface RefusedRequest {
  method: string;
  /** The error that answers it at once: without it the server waits, and its call runs until its timeout. */
  answer: JSONRPCErrorResponse;
}

/** Told of a message passed over unread: what to say of it, and the server's request it was, when it was one. */
export type OnDropped = (note: string, request?: RefusedRequest) => void;

/** How the error that answers such a request starts: a server that fails its call with it as it came said why. */
export const OVERSIZED_REQUEST_WORDS = 'Portcullis did not read this ';

/** Says that the server's request `id` was passed over for its size, and answers it with an error naming the limit. */
export function refuseRequest(onDropped: OnDropped | undefined, id: RequestId, method: string, limit: number): void {
  const tooLarge = `larger than the ${inMegabytes(limit)} that one JSON-RPC message may have`;
  // Marked apart from an answer too large: a server that fails its call with this error as it came has not sent one.
  const data = { portcullis: 'oversized-request', limit };
  const answer: JSONRPCErrorResponse = { jsonrpc: '2.0', id, error: { code: OVERSIZED_MESSAGE_CODE, message: `${OVERSIZED_REQUEST_WORDS}${method} request: it was ${tooLarge}`, data } };
  onDropped?.(`dropped the server's request ${JSON.stringify(id)} (${method}), ${tooLarge}, unread, and answered it with an error saying so`, { method, answer });
}

/** The ids of the requests a POST sends (the SDK sends one message, or a batch), whose answers its response holds. */
export function requestIdsOf(init: RequestInit | undefined): RequestId[] {
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
 * How far past the limit a message is passed over before its sender counts as flooding (a stream, or a stdio line,
 * that never ends): the stream fails, or the stdio server is restarted, as for a message that says nothing.
 */
export const MAX_PASSED_OVER_FACTOR = 10;

/** How much of an event too large to read is kept of its start and of its end, to tell what it was. */
const GLIMPSE_BYTES = 1_024;
const NEWLINE = new Uint8Array([LF]);

/**
 * Passes an event stream on one whole event at a time, each held back until its blank line (the SDK's parser cannot
 * use it before then either). An event beyond `limit` bytes is not passed on, and only what it was for fails:
 * - on the answer to a POST, an event that is not the server's own request or notification is taken for the
 *   answer: the requests get an error event in its place, and the stream ends there (nothing more is read);
 * - otherwise the event is passed over unread (its bytes are not kept) and the stream goes on: the server's own
 *   message is dropped, said through `onDropped` (a request of its own is answered with an error, or it would wait
 *   for ever); an answer (on the GET stream, or every answer of a legacy HTTP+SSE server) is told by the id at its
 *   start or end, and that request gets the error. An event that says neither is dropped too, said: the connection
 *   and every other call on it are worth more than the one call it may have answered, which then times out. Only an
 *   event that goes on past `MAX_PASSED_OVER_FACTOR` × `limit` (a server flooding its stream) fails the stream.
 */
function eventBoundedStream(limit: number, requestIds: RequestId[], onDropped: OnDropped | undefined): TransformStream<Uint8Array, Uint8Array> {
  let held: Uint8Array[] = [];
  let eventBytes = 0;
  let lineBytes = 0;
  let afterCR = false;
  /** The event being passed over: its first bytes, and its last ones so far (with its line ends as LF). */
  let passing: { head: Uint8Array; tail: Uint8Array } | null = null;

  const errorEvents = (ids: RequestId[]) => new TextEncoder().encode(ids.map((id) => `event: message\ndata: ${JSON.stringify(oversizedAnswer(id, limit, undefined))}\n\n`).join(''));
  const tooLarge = `larger than the ${inMegabytes(limit)} that one JSON-RPC message may have`;

  /** An event went past the limit: true when the stream ends here (an answer to a POST), else it is passed over. */
  const overflowed = (parts: Uint8Array[], controller: TransformStreamDefaultController<Uint8Array>): boolean => {
    const head = firstBytes(parts, GLIMPSE_BYTES);
    const glimpse = glimpseEvent(decode(head), '');
    if (requestIds.length > 0 && glimpse.method === undefined && glimpse.otherEvent === undefined) {
      controller.enqueue(errorEvents(requestIds));
      controller.terminate();
      return true;
    }
    passing = { head, tail: lastBytes(parts, GLIMPSE_BYTES) };
    return false;
  };

  /** The event passed over has ended (or the stream did, mid-event): says what it was, and answers what waits. */
  const passedOver = (controller: TransformStreamDefaultController<Uint8Array>): void => {
    const { head, tail } = passing!;
    passing = null;
    const glimpse = glimpseEvent(decode(head), decode(tail));
    if (glimpse.method !== undefined && glimpse.id !== undefined && glimpse.otherEvent === undefined) {
      refuseRequest(onDropped, glimpse.id, glimpse.method, limit);
    } else if (glimpse.method !== undefined || glimpse.otherEvent !== undefined) {
      onDropped?.(`dropped a message of the server's ${tooLarge} (${glimpse.method ?? `an event "${glimpse.otherEvent}"`}), unread`);
    } else if (glimpse.id !== undefined) {
      controller.enqueue(errorEvents([glimpse.id]));
      onDropped?.(`dropped the server's answer to request ${JSON.stringify(glimpse.id)}, ${tooLarge}, unread, and failed that call`);
    } else {
      onDropped?.(`dropped a message of the server's ${tooLarge}, unread; its start and end said neither what it was nor which request it answered`);
    }
  };

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
          if (passing) {
            passing.tail = lastBytes([passing.tail, chunk.subarray(i, next)], GLIMPSE_BYTES);
            if (eventBytes > limit * MAX_PASSED_OVER_FACTOR) return controller.error(new OversizedMessageError(limit));
          }
          else if (eventBytes > limit) {
            const parts = [...held, chunk.subarray(from, next)];
            held = [];
            if (overflowed(parts, controller)) return;
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
          if (passing) passing.tail = lastBytes([passing.tail, NEWLINE], GLIMPSE_BYTES);
          continue;
        }
        if (afterCR && chunk[i] === LF) {
          afterCR = false;
          i++;
        }
        if (passing) passedOver(controller);
        else {
          for (const part of held) controller.enqueue(part);
          controller.enqueue(chunk.subarray(from, i));
        }
        held = [];
        from = i;
        eventBytes = 0;
      }
      if (!passing && from < chunk.length) held.push(chunk.subarray(from));
    },
    flush(controller) {
      if (passing) passedOver(controller);
      for (const part of held) controller.enqueue(part);
    },
  });
}

/** The first `n` bytes of the parts, copied (the chunks they come from are let go). */
function firstBytes(parts: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(Math.min(n, parts.reduce((sum, part) => sum + part.byteLength, 0)));
  let at = 0;
  for (const part of parts) {
    if (at === out.length) break;
    const piece = part.subarray(0, out.length - at);
    out.set(piece, at);
    at += piece.byteLength;
  }
  return out;
}

/** The last `n` bytes of the parts, copied. */
function lastBytes(parts: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(Math.min(n, parts.reduce((sum, part) => sum + part.byteLength, 0)));
  let at = out.length;
  for (let k = parts.length - 1; k >= 0 && at > 0; k--) {
    const part = parts[k]!;
    const piece = part.subarray(Math.max(0, part.byteLength - at));
    at -= piece.byteLength;
    out.set(piece, at);
  }
  return out;
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
