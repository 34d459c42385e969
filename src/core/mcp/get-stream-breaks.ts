import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { messageOf } from '../../shared/errors';

/** Said by the error of a GET event stream that broke: what `isGetStreamBreak` recognises. */
const MARK = 'its GET event stream broke';

/**
 * A Streamable HTTP server's GET event stream (the one the client opens to hear the server between calls) broke
 * mid-stream, as a proxy that cuts long-lived connections does. The SDK says "SSE stream disconnected: …" whichever
 * stream broke, an answer's or this one: this error says which.
 */
class GetStreamBroken extends Error {
  constructor(cause: unknown) {
    super(`${MARK} (${messageOf(cause)})`);
    this.name = 'GetStreamBroken';
  }
}

/**
 * A `fetch` whose GET event streams fail with a `GetStreamBroken` when they break: the SDK opens such a stream again
 * by itself (with the last event's id, so the server can send what was missed), and the session and the calls under
 * way on it are unharmed. A POST's answer that breaks is another matter: that call's answer is lost.
 */
export function markingGetStreamBreaks(base: FetchLike = (url, init) => fetch(url, init)): FetchLike {
  return async (url, init) => {
    const response = await base(url, init);
    const isEventStream = (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');
    if ((init?.method ?? 'GET').toUpperCase() !== 'GET' || !response.ok || !response.body || !isEventStream) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { value, done } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          // Closed on purpose (the transport closing aborts it): not a break.
          controller.error(error instanceof Error && error.name === 'AbortError' ? error : new GetStreamBroken(error));
        }
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** Whether the transport's error is a Streamable HTTP GET stream that broke, which the SDK then opens again. */
export function isGetStreamBreak(error: Error): boolean {
  return error.message.startsWith('SSE stream disconnected: ') && error.message.includes(MARK);
}
