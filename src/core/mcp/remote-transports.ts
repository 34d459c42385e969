import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { messageOf } from '../../shared/errors';

/**
 * How long a closing connection gives what it is still sending (a cancel), and then the DELETE that ends its
 * session: long enough for a server that answers, short enough that one that does not never holds up a quit.
 */
export const CLOSING_GRACE_MS = 500;

/**
 * What a remote transport is still sending that is not a request: a cancel, an answer to the server's question.
 * The SDK sends a cancel without waiting for it, and closing the transport aborts its POST: a call stopped just
 * before a close (as `portcullis tools call` stops one at its timeout, then exits) was never cancelled at the server.
 */
class OutgoingMessages {
  private readonly pending = new Set<Promise<void>>();

  track(message: JSONRPCMessage, sent: Promise<void>): Promise<void> {
    // A request waits for its answer, which closing gives up on anyway.
    if ('method' in message && 'id' in message) return sent;
    const settled = sent.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return sent;
  }

  /** Whether everything on its way arrived within `ms`. */
  arrived(ms: number): Promise<boolean> {
    return within(Promise.all(this.pending), ms);
  }
}

/** Resolves true when `work` settles within `ms`, false after `ms`; never rejects (a late failure is dropped). */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = work.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What went wrong ending a remote session, for the log; null when nothing did. */
export type SessionEnd = string | null;

/** The SDK's Streamable HTTP transport, which ends its session at the server when it closes for good (`end`). */
export class EndingStreamableHTTPClientTransport extends StreamableHTTPClientTransport {
  private readonly outgoing = new OutgoingMessages();

  override send(message: JSONRPCMessage | JSONRPCMessage[], options?: Parameters<StreamableHTTPClientTransport['send']>[1]): Promise<void> {
    const sent = super.send(message, options);
    return Array.isArray(message) ? sent : this.outgoing.track(message, sent);
  }

  /**
   * Lets its cancels and answers on their way arrive, then sends the DELETE that ends its session (which the spec
   * asks of a client that leaves: without it, every run of a command left a session open at the server). Each step
   * is bounded by `CLOSING_GRACE_MS`; the caller closes the transport after, which aborts whatever is left.
   */
  async end(): Promise<SessionEnd> {
    const arrived = await this.outgoing.arrived(CLOSING_GRACE_MS);
    if (this.sessionId === undefined) return arrived ? null : `what it was sending did not arrive within ${CLOSING_GRACE_MS} ms`;
    let failure: SessionEnd = null;
    const ended = await within(
      this.terminateSession().catch((error: unknown) => void (failure = `its session could not be ended (${messageOf(error)})`)),
      CLOSING_GRACE_MS,
    );
    return failure ?? (ended ? null : `its session was not ended within ${CLOSING_GRACE_MS} ms`);
  }
}

/** The SDK's older HTTP+SSE transport, which lets its cancels and answers arrive before it closes (it has no DELETE). */
export class EndingSSEClientTransport extends SSEClientTransport {
  private readonly outgoing = new OutgoingMessages();

  override send(message: JSONRPCMessage): Promise<void> {
    return this.outgoing.track(message, super.send(message));
  }

  async end(): Promise<SessionEnd> {
    return (await this.outgoing.arrived(CLOSING_GRACE_MS)) ? null : `what it was sending did not arrive within ${CLOSING_GRACE_MS} ms`;
  }
}
