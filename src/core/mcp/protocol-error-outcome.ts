import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { messageOf } from '../../shared/errors';
import { inMegabytes, isOversizedStream, MAX_MESSAGE_BYTES } from './bounded-fetch';
import { NOT_TAKING_WORDS } from './fetch-turns';
import { isGetStreamBreak } from './get-stream-breaks';
import { isTransientHttpFailure } from './http-status-failure';
import { remoteDropReason } from './remote-drops';

/**
 * What the SDK reports when a server answers, or reports progress on, a request that is no longer waited for: the
 * normal end of a call that timed out or was cancelled while the server still worked. Not a fault of the server's.
 */
const LATE_MESSAGE = /^Received a (progress notification for an unknown token|response for an unknown message ID)/;

/** What an error reported on a connected client means: the connection goes on, wants a new sign-in, or ends for `reason`. */
export type ProtocolErrorOutcome = { kind: 'goes-on' } | { kind: 'dropped'; note: string } | { kind: 'wants-sign-in' } | { kind: 'ends'; reason: string; misbehaved: boolean };

/** How the SDK reports a notification whose params break its schema (a progress of "lots"): its handler threw. */
const NOTIFICATION_REFUSED = /^Uncaught error in notification handler: /;
/** The most of an error's words a server's row and log quote. */
const MAX_QUOTED = 300;

const GOES_ON: ProtocolErrorOutcome = { kind: 'goes-on' };

/**
 * Malformed JSON-RPC means the server cannot be trusted to answer: its connection ends (and `misbehaved`, a call that
 * met it would meet it again). A remote server's dropped connection or ended session arrives here too, and is said
 * as what it is.
 */
export function protocolErrorOutcome(error: Error, remote: boolean): ProtocolErrorOutcome {
  if (LATE_MESSAGE.test(error.message)) return GOES_ON;
  // One notification Portcullis cannot read is dropped, as a message too large is: ending the connection for it failed
  // every call under way on the server and lost all it held in memory.
  if (NOTIFICATION_REFUSED.test(error.message)) return { kind: 'dropped', note: `dropped a notification of the server's that does not follow MCP (${oneLine(error.message.replace(NOTIFICATION_REFUSED, ''))})` };
  // An HTTP 500 or 503 to one request fails that request (its call says so, and is retried when it may be);
  // the session stands, and the other calls under way on it go on.
  if (isTransientHttpFailure(error)) return GOES_ON;
  // The transport reports a refused sign-in here too: that is no fault of the server's, it wants the person.
  if (error instanceof UnauthorizedError) return { kind: 'wants-sign-in' };
  // A Streamable HTTP server's GET stream that broke is opened again by the SDK on the same session, and the calls
  // under way go on. Its tries meanwhile are not the end: when it gives up, it says so (`remoteDropReason`).
  if (isGetStreamBreak(error) || /^Failed to reconnect SSE stream: /.test(error.message)) return GOES_ON;
  // A remote server that took none of Portcullis' answers while it sent requests without end (`fetch-turns.ts`).
  const notTaking = error.message.indexOf(NOT_TAKING_WORDS);
  if (notTaking !== -1) return { kind: 'ends', reason: error.message.slice(notTaking), misbehaved: true };
  // A message too large (a stdio frame, or an event on a remote server's stream Portcullis cut) is the server's fault.
  const oversized = /exceeded maximum size/.test(error.message) || isOversizedStream(error);
  // A remote server's connection that ended is the network or the server's choice, not a fault in what it said.
  const dropped = oversized || !remote ? null : remoteDropReason(error);
  const reason = dropped
    ? dropped
    : oversized
      ? `it sent a message larger than the ${inMegabytes(MAX_MESSAGE_BYTES)} that one JSON-RPC message may have${isOversizedStream(error) ? ', which Portcullis did not read' : ` (${messageOf(error)})`}`
      : `it sent malformed JSON-RPC (${oneLine(messageOf(error))})`;
  return { kind: 'ends', reason, misbehaved: dropped === null };
}

/** An error's words on one line, cut short: a schema's refusal is many lines of JSON. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_QUOTED ? `${flat.slice(0, MAX_QUOTED - 1)}…` : flat;
}
