import type { SpanEvent } from './domain/span';
import { isStopCode } from './tool-call-words';

/** An error code at the start of a step's status message, as the tool gateway writes it ("TOOL_CANCELLED: …"). */
const CODE_PREFIX = /^([A-Z][A-Z0-9_]+): /;

/**
 * Why a failed step failed, from what it recorded: its exception's type (the error's code) or the code its status
 * message starts with. 'stopped': the turn was stopped (Stop, Esc), which is no one's error; 'other': any other
 * error; null: a message with no code, as a step writes when it fails because a step inside it did (its
 * cause is that step's).
 */
export function failureCause(statusMessage: string | null, events: readonly SpanEvent[] | undefined): 'stopped' | 'other' | null {
  const exception = events?.findLast((event) => event.name === 'exception');
  const code = exception ? String(exception.attributes['exception.type'] ?? '') : (statusMessage?.match(CODE_PREFIX)?.[1] ?? null);
  if (code === null) return null;
  return isStopCode(code) ? 'stopped' : 'other';
}
