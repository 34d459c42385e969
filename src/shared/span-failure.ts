import type { SpanEvent, SpanRecord } from './domain/span';
import { isDenyCode, isStopCode } from './tool-call-words';

/** An error code at the start of a step's status message, as the tool gateway writes it ("TOOL_CANCELLED: …"). */
const CODE_PREFIX = /^([A-Z][A-Z0-9_]+): /;

/** The error code a failed step recorded: its exception's type, or the code its status message starts with. */
export function failureCode(statusMessage: string | null, events: readonly SpanEvent[] | undefined): string | null {
  const exception = events?.findLast((event) => event.name === 'exception');
  return exception ? String(exception.attributes['exception.type'] ?? '') : (statusMessage?.match(CODE_PREFIX)?.[1] ?? null);
}

/**
 * A turn's root step says Portcullis stopped during it: killed (the next start gave the trace a root that says
 * so, `SpanStore.closeInterruptedTraces`) or closed while it ran (TOOL_INTERRUPTED).
 */
export function turnInterrupted(root: Pick<SpanRecord, 'status' | 'statusMessage' | 'events' | 'attributes'>): boolean {
  if (root.status !== 'error') return false;
  return root.attributes['portcullis.turn.interrupted'] === true || failureCode(root.statusMessage, root.events) === 'TOOL_INTERRUPTED';
}

/**
 * Why a failed step failed, from what it recorded: its exception's type (the error's code) or the code its status
 * message starts with. 'stopped': the turn was stopped (Stop, Esc), which is no one's error; 'denied': a policy
 * rule or the person refused the call, a decision and no one's error either; 'other': any other error; null: a
 * message with no code, as a step writes when it fails because a step inside it did (its cause is that step's).
 */
export function failureCause(statusMessage: string | null, events: readonly SpanEvent[] | undefined): 'stopped' | 'denied' | 'other' | null {
  const code = failureCode(statusMessage, events);
  if (code === null) return null;
  return isStopCode(code) ? 'stopped' : isDenyCode(code) ? 'denied' : 'other';
}

type FailedStep = Pick<SpanRecord, 'status' | 'statusMessage' | 'events'>;

/**
 * Whether a failed step failed only because its turn was stopped: its own error says so, or it wrote a message
 * with no code of its own and a failed step right inside it (`children`) was stopped (a sandbox step around the
 * cancelled server call). The traces list's rule (`SpanStore`, in SQL), for the timeline's rows.
 */
export function stoppedOnly(span: FailedStep, children: readonly FailedStep[]): boolean {
  return failedFor(span, children, 'stopped');
}

/**
 * Whether a failed step only records a refusal (a policy rule's deny, the person's, an approval not given in
 * time): its own error says so, or, with no code of its own, a failed step right inside it does. As the traces
 * list counts it (`SpanStore`): among the decisions, not the errors.
 */
export function deniedOnly(span: FailedStep, children: readonly FailedStep[]): boolean {
  return failedFor(span, children, 'denied');
}

function failedFor(span: FailedStep, children: readonly FailedStep[], cause: 'stopped' | 'denied'): boolean {
  if (span.status !== 'error') return false;
  const own = failureCause(span.statusMessage, span.events);
  if (own !== null) return own === cause;
  return children.some((child) => child.status === 'error' && failureCause(child.statusMessage, child.events) === cause);
}
