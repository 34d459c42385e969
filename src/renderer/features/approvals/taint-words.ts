import type { ApprovalRequest } from '../../../shared/domain/approval';
import type { TaintSource } from '../../../shared/domain/policy';

/** How many distinct sources the dialog names; the rest are counted. */
const NAMED = 3;

/**
 * Where a conversation read untrusted content, as the approval dialog says it: each source once, newest first,
 * with how many calls brought it. Every call is a source of its own, so ten reads of one server's files read as
 * the same sentence ten times, and a long session's list would push the dialog's own question off the screen.
 */
export function taintWords(taint: readonly Pick<TaintSource, 'description'>[]): string {
  const counts = new Map<string, number>();
  for (const { description } of [...taint].reverse()) counts.set(description, (counts.get(description) ?? 0) + 1);
  const distinct = [...counts];
  const named = distinct.slice(0, NAMED).map(([description, n]) => (n > 1 ? `${description} (${n} calls)` : description));
  const rest = distinct.length - named.length;
  return named.join('; ') + (rest > 0 ? `; and ${rest} other ${rest === 1 ? 'source' : 'sources'}` : '');
}

/**
 * What the untrusted content may have to do with the call, after its sources. A model that reads what tools return
 * may follow instructions hidden there; the built-in model plans from the turn's message alone (`plannedFromMessage`),
 * so for it only a message that held a server's words (a source with that message's id) may have chosen the call.
 * It said "Instructions hidden in it may be behind this call" of a call the person had typed word for word.
 */
export function taintConsequence(request: Pick<ApprovalRequest, 'taint' | 'plannedFromMessage'>): string {
  const from = request.plannedFromMessage;
  if (from === undefined) return 'Instructions hidden in it may be behind this call.';
  if (request.taint?.some((source) => source.toolCallId === from)) {
    return "The built-in model planned this call from the message it answers, which held a server's words: instructions in them may be behind it.";
  }
  return 'The built-in model planned this call only from the message it answers and follows no instructions in what tools return, so that content did not choose it.';
}
