import type { Message } from '../../../shared/domain/message';
import { truncate } from '../../../shared/key-arguments';
import { formatTimeToSecond } from '../../lib/format';

/** How much of the request a Trace button's name quotes: enough to tell turns apart, short enough to be read out. */
const REQUEST_CHARS = 60;

/**
 * The accessible name of a reply's Trace button. A screen reader lists the buttons out of context, and several
 * replies a minute apart read alike, so each says when to the second, what it answered and, for a step that
 * called tools rather than answered, which ones: "Trace of the turn at 08:16:04 AM, “write a.txt with 1”, calling
 * fs.write".
 */
export function traceButtonName(reply: Pick<Message, 'createdAt' | 'toolCalls'> | undefined, request: string | undefined): string {
  const parts = [reply === undefined ? 'Trace of this turn' : `Trace of the turn at ${formatTimeToSecond(reply.createdAt)}`];
  const asked = request?.replace(/\s+/g, ' ').trim();
  if (asked) parts.push(`“${truncate(asked, REQUEST_CHARS)}”`);
  const called = [...new Set(reply?.toolCalls?.map((call) => call.name) ?? [])];
  if (called.length > 0) parts.push(`calling ${called.join(', ')}`);
  return parts.join(', ');
}

/**
 * The accessible name of a direct call's Trace button, on its request's line (a script's, an MCP client's, the
 * terminal's): a caller's calls of a day share a conversation, so each says when to the second and what it asked
 * for: "Trace of the call at 03:08:21 PM, “tools.call fs.read {"path":"a.txt"}”".
 */
export function directCallTraceName(request: Pick<Message, 'createdAt' | 'content'>): string {
  return `Trace of the call at ${formatTimeToSecond(request.createdAt)}, “${truncate(request.content.replace(/\s+/g, ' ').trim(), REQUEST_CHARS)}”`;
}

/** Each assistant message's request: the person's message it answers (the one before it, as a retry's turn has none of its own). */
export function requestsByReply(messages: readonly Message[]): Map<string, string> {
  const requests = new Map<string, string>();
  let request: string | undefined;
  for (const message of messages) {
    if (message.role === 'user') request = message.content;
    else if (message.role === 'assistant' && request !== undefined) requests.set(message.id, request);
  }
  return requests;
}
