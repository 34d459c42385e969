import { AppError } from '../../shared/errors';
import { responseWithBody } from '../response-with-body';

/**
 * The longest line a model's server may send: far beyond any one event of a streamed reply (a few hundred bytes of
 * delta) or a whole answer sent at once, as over an MCP server's stdio.
 */
export const MAX_MODEL_LINE_BYTES = 10 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/**
 * A `fetch` for a model provider that stops reading a server's body once a line in it goes past `limit` bytes. The
 * SDK's event-stream parser keeps a line in memory until it ends, so a server (or whatever answers at its address)
 * that streamed bytes and never a line break grew the app's memory by hundreds of megabytes a second until it died
 * of it; none of that is a piece of a reply either, so the silence watch would not have ended it sooner.
 */
export function lineBoundedFetch(modelLabel: string, limit: number = MAX_MODEL_LINE_BYTES): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.body) return response;
    return responseWithBody(response, response.body.pipeThrough(lineBoundedStream(modelLabel, limit)));
  };
}

/** Passes a body on while no line in it (counted across chunks, up to a CR or LF) goes past `limit` bytes. */
export function lineBoundedStream(modelLabel: string, limit: number): TransformStream<Uint8Array, Uint8Array> {
  /** The bytes of the line under way, counted from the chunks before this one. */
  let lineBytes = 0;
  return new TransformStream({
    transform(chunk, controller) {
      // Each break found by a native search from where the last one was, never the chunk read byte by byte.
      let nextLF = chunk.indexOf(LF);
      let nextCR = chunk.indexOf(CR);
      let from = 0;
      for (;;) {
        const next = nextLF === -1 ? nextCR : nextCR === -1 ? nextLF : Math.min(nextLF, nextCR);
        if (next === -1) break;
        if (lineBytes + next - from > limit) return controller.error(tooLong(modelLabel, limit));
        lineBytes = 0;
        from = next + 1;
        if (nextLF === next) nextLF = chunk.indexOf(LF, from);
        if (nextCR === next) nextCR = chunk.indexOf(CR, from);
      }
      lineBytes += chunk.byteLength - from;
      if (lineBytes > limit) return controller.error(tooLong(modelLabel, limit));
      controller.enqueue(chunk);
    },
  });
}

function tooLong(modelLabel: string, limit: number): AppError {
  return new AppError(
    'MODEL_UNAVAILABLE',
    `The server of ${modelLabel} sent more than ${Math.round(limit / (1024 * 1024))} MB without a line break, which no part of a reply is, so Portcullis stopped reading it and ended the turn. Check that the model's address points at a model server, then Retry.`,
  );
}
