import { CONVERSATION_ALLOWED_RULE, conversationAllowanceReach, conversationAllower } from './domain/policy';
import { deciderWords, decidedByPerson, SHUTDOWN, UNASKED } from './approval-decider';
import { limitInWords } from './durations';
import type { ToolCallRecord, ToolCallStatus } from './domain/tool-call';
import { keyArguments, truncate } from './key-arguments';
import { spellOutInvisible } from './shown-path';

/** A call that ended only because Portcullis stopped while it waited or ran: how long it took is not known. */
export function wasInterrupted(call: ToolCallRecord): boolean {
  return call.error?.code === 'TOOL_INTERRUPTED';
}

/** The codes of a call cut short because its turn was stopped: by the person (Stop, Esc) or its time budget. */
const STOPPED_CODES: ReadonlySet<string> = new Set(['TOOL_CANCELLED', 'TURN_STOPPED']);

/** Whether an error code says only that the turn was stopped (nothing went wrong): the traces read it as "stopped". */
export function isStopCode(code: string): boolean {
  return STOPPED_CODES.has(code);
}

/** The codes of a call that was refused: by a policy rule, by the person, or for want of an answer in time. */
const DENIED_CODES: ReadonlySet<string> = new Set(['POLICY_DENIED', 'APPROVAL_REJECTED', 'APPROVAL_TIMEOUT']);

/** Whether an error code says the call was refused: a decision, not a fault; the traces read it as "denied". */
export function isDenyCode(code: string): boolean {
  return DENIED_CODES.has(code);
}

/**
 * A call that ended only because its turn was stopped, while it ran ("failed") or while it waited for the
 * person ("denied" with no answer given): nothing went wrong with the tool, and no one refused it.
 */
export function wasCancelled(call: ToolCallRecord): boolean {
  return (call.status === 'failed' || call.status === 'denied') && call.error !== null && isStopCode(call.error.code);
}

/**
 * A call a policy rule or the person refused (or let lapse unanswered): a decision, shown in the colour of an
 * approval with its reason as a note, not as an error to look into. Not a call that a fault ended while it waited.
 */
export function wasRefused(call: ToolCallRecord): boolean {
  return call.status === 'denied' && (call.error === null || isDenyCode(call.error.code));
}

/**
 * What a denied call tells the model (and a script), with the note given, if any: "The person denied …" only when
 * the person answered (`decidedBy`, approval-decider.ts); a script's --approve, a key's answer or a caller that does
 * not wait is named as such, so the model is never told a person refused what no one was asked about.
 */
export function denialMessage(toolName: string, note?: string, decidedBy?: string): string {
  if (decidedByPerson(decidedBy)) return `The person denied ${toolName}.${note ? `${NOTE_OPENING}${note}"` : ''}`;
  return `${toolName} was denied by ${denierOf(decidedBy)}, not by a person.${note ? `${OTHER_NOTE_OPENING}${note}"` : ''}`;
}

/** Who denied a call the person did not, as the model is told it. */
function denierOf(decidedBy: string | undefined): string {
  if (decidedBy?.startsWith('api: ')) return `${deciderWords(decidedBy)}, a program allowed to answer approvals`;
  if (decidedBy?.startsWith('script: ')) return "the script's --approve option";
  if (decidedBy === UNASKED) return 'its caller, which does not wait for approvals';
  if (decidedBy === SHUTDOWN) return 'Portcullis shutting down';
  return 'Portcullis';
}

const NOTE_OPENING = ' Their note: "';
const OTHER_NOTE_OPENING = ' Note: "';

/** What a call a policy rule denied tells the model (and a script). */
export function ruleDenialMessage(ruleId: string, reason: string): string {
  return `Denied by policy rule ${ruleId}: ${reason}`;
}

/**
 * What a refused call's card says under "denied by you", "denied: no answer in time" or "denied by rule X": the
 * rule's reason, or the person's own note, in their words (or why it was refused otherwise, as the model was told);
 * null when the decision line says it all. The error is
 * what the model was told ("The person denied fs.write."), which repeated that line in the third person.
 */
export function refusalNote(call: ToolCallRecord): string | null {
  if (!call.error) return null;
  if (call.error.code === 'APPROVAL_TIMEOUT') return null;
  // "denied by rule deny.secrets" heads the card: its reason follows, not "Denied by policy rule deny.secrets: …" again.
  const rule = call.decision;
  if (rule?.effect === 'deny' && call.error.message === ruleDenialMessage(rule.ruleId, rule.reason)) return rule.reason;
  if (call.error.code !== 'APPROVAL_REJECTED') return call.error.message;
  const note = denialNote(call.error.message);
  if (note === null) return null;
  return decidedByPerson(call.decidedBy) ? `Your note: “${note}”` : `Note: “${note}”`;
}

/** The note given with a Deny (the person's, a script's, a key's), from what the call was told (`denialMessage`); null without one. */
export function denialNote(message: string): string | null {
  for (const opening of [NOTE_OPENING, OTHER_NOTE_OPENING]) {
    const start = message.indexOf(opening);
    if (start !== -1) return message.slice(start + opening.length).replace(/"$/, '');
  }
  return null;
}

/** Whom a call waited for, as its card and export say "… waiting for you": an answer from a script or a key is not the person's. */
export function waitedFor(call: ToolCallRecord): string {
  return decidedByPerson(call.decidedBy) ? 'waiting for you' : 'waiting for an answer';
}

/** Who let the call run (or not), in the words the card shows. */
export function describeDecision(call: ToolCallRecord): string {
  if (call.approval === 'approved') {
    // Allowed with arguments the person edited, which were then checked again and refused: not "approved by you"
    // beside "denied" (the error says what was edited and which rule refused it).
    if (call.status === 'denied' && call.error?.code === 'POLICY_DENIED') return 'your edit refused by the policy';
    if (call.status === 'denied' && call.error?.code === 'TOOL_ARGUMENTS_INVALID') return 'your edit not valid';
    const other = deciderWords(call.decidedBy);
    // Approved with "Allow for this conversation" (or "… for claude-code today"): said with what it covers.
    const reach = call.allowedFor === undefined ? '' : ` for ${call.allowedFor}`;
    return other === null ? `approved by you${reach}` : `approved by ${other}${reach}`;
  }
  if (call.approval === 'denied') {
    // Said as what the person did: a script's or an MCP client's call has no turn of the agent's to stop.
    if (call.error?.code === 'TURN_STOPPED') return 'not answered: you pressed Stop';
    if (wasInterrupted(call)) return 'not answered: Portcullis stopped';
    // The script or MCP client that made the call stopped waiting (its error says who and why).
    if (call.error?.code === 'TOOL_CANCELLED') return 'not answered: its caller cancelled it';
    // The time its script or MCP client allowed it (tools.call's timeoutMs) passed first.
    if (call.error?.code === 'TOOL_TIMEOUT') return 'not answered in the time its caller allowed';
    // The turn ended by something else while it waited (its error says what).
    if (call.error !== null && call.error.code !== 'APPROVAL_REJECTED') return 'not answered: the turn ended';
    // Denied by the person, or by what answered for them: a script's --approve, a key allowed to approve.
    if (call.decidedBy === UNASKED) return 'denied unasked: its caller does not wait';
    if (call.decidedBy === SHUTDOWN) return 'not answered: Portcullis stopped';
    const other = deciderWords(call.decidedBy);
    return other === null || decidedByPerson(call.decidedBy) ? 'denied by you' : `denied by ${other}`;
  }
  if (call.approval === 'timed_out') {
    if (wasInterrupted(call)) return 'not answered: Portcullis stopped';
    // No one answered: the time it was given, as the setting says it ("2 min"), when its approval row says.
    return call.approvalWaitMs === undefined ? 'denied: no answer in time' : `timed out after ${limitInWords(call.approvalWaitMs)}`;
  }
  const decision = call.decision;
  if (!decision) return call.status === 'denied' ? 'denied' : 'not checked by policy';
  // Not a rule of the policy file: the person's own choice on an earlier request, said as theirs.
  if (decision.effect === 'allow' && decision.ruleId === CONVERSATION_ALLOWED_RULE) {
    // Chosen by a key allowed to approve: said as its choice, not the person's (its reason names it).
    // In a caller's conversation of the day it holds for that caller's calls today, as its button said.
    const allower = conversationAllower(decision.reason, call.toolName);
    const reach = conversationAllowanceReach(decision.reason, call.toolName);
    return allower === null ? `allowed by you ${reach}` : `allowed ${reach} by ${allower}`;
  }
  if (decision.effect === 'allow') return `allowed by rule ${decision.ruleId}`;
  if (decision.effect === 'deny') return `denied by rule ${decision.ruleId}`;
  // A call the policy would ask about that failed without an answer was refused before anyone was asked.
  if (call.status === 'failed' && call.approval === null) return 'not asked: it could not run';
  return call.status === 'denied' ? 'denied' : 'waiting for your approval';
}

const STATUS_LABELS: Record<ToolCallStatus, string> = {
  pending: 'pending',
  awaiting_approval: 'awaiting approval',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  denied: 'denied',
};

export function describeStatus(status: ToolCallStatus): string {
  return STATUS_LABELS[status];
}

/**
 * The status a tool card shows, and its tone (the `status-*` colour): a call the stop cut short reads a calm
 * "cancelled", not a red "failed" that would send the person looking for a fault.
 */
export function cardStatus(call: ToolCallRecord): { word: string; tone: string } {
  if (wasCancelled(call)) return { word: 'cancelled', tone: 'cancelled' };
  return { word: describeStatus(call.status), tone: call.status };
}

/**
 * The arguments a model sent as text that is not a JSON object (the gateway keeps that text and refuses the call),
 * to be shown as sent: JSON-escaped they read `"{\"path\": …"`. Null when they are JSON.
 */
export function unparsedArguments(call: Pick<ToolCallRecord, 'arguments'>): string | null {
  return typeof call.arguments === 'string' ? call.arguments : null;
}

/** That text in one line for the card: line breaks and runs of spaces as one space, invisible characters spelled out. */
export function unparsedArgumentsLine(text: string): string {
  return truncate(spellOutInvisible(text.replace(/\s+/g, ' ').trim()), 80);
}

/** A call's arguments in one line: its key arguments, or the text the model sent, marked as not JSON. */
export function argumentsLine(args: unknown): string {
  return typeof args === 'string' ? `${unparsedArgumentsLine(args)} (not valid JSON)` : keyArguments(args);
}
