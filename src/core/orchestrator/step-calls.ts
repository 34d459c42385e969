import type { RequestedToolCall } from '../../shared/domain/message';
import type { ModelMessage } from '../model/model-provider';

/**
 * The calls of one step with each repeat of the same call (same tool, same arguments) left out: a small model that
 * asks for one read twenty times in a step would have each run (and each asked about when the policy asks), its
 * results twenty times in the context. Calls of one step run side by side, in no order, so a repeat asked for with
 * it is no second run the model could count on anyway. `repeats`: how many were left out.
 */
export function distinctCalls(calls: readonly RequestedToolCall[]): { distinct: RequestedToolCall[]; repeats: number } {
  const seen = new Set<string>();
  const distinct = calls.filter((call) => {
    const key = `${call.name}\u0000${canonicalJson(call.arguments)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { distinct, repeats: calls.length - distinct.length };
}

/** What the model asked for in a step beyond the turn's tool-call budget, for the step that answers from the rest. */
export interface CallsNotRun {
  requested: number;
  repeats: number;
  ran: number;
  limit: number;
  notRun: readonly RequestedToolCall[];
}

/**
 * Portcullis' words to the model, after the calls of its step that fit the turn's budget have run: which did not
 * and why, and that it is to answer now from the results it has, so the person gets an answer rather than the turn
 * ending on calls whose results no one read.
 */
export function callsNotRunNote({ requested, repeats, ran, limit, notRun }: CallsNotRun): ModelMessage {
  const listed = notRun.slice(0, 8).map((call) => `${call.name} ${abbreviated(canonicalJson(call.arguments))}`);
  const more = notRun.length > listed.length ? `, and ${notRun.length - listed.length} more` : '';
  const repeated = repeats > 0 ? ` (${repeats} of them repeated a call already asked for, which ran once)` : '';
  const ranWords = ran > 0 ? `only ${ran} of them could run` : 'none of them could run';
  return {
    role: 'user',
    fromPortcullis: true,
    content:
      `[From Portcullis, not the person: you asked for ${requested} tool call(s) in your last step${repeated}, but the turn's budget is ${limit} tool calls, so ${ranWords}. ` +
      `Not run: ${listed.join('; ')}${more}. No more tool calls can run in this turn. Answer now from the results you have, and say what was left undone.]`,
  };
}

/** A turn's answer step asked for calls again: said as the end of the turn. */
export function askedAgainWords(limit: number): string {
  return `The turn ended: the model asked for more tool calls than the turn's budget of ${limit} allows, and when told to answer from the results of those that ran, it asked for more calls again instead. Retry, or ask for less at once.`;
}

function abbreviated(text: string): string {
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** JSON with object keys sorted: the same arguments written in another order are the same call. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  ) ?? 'null';
}
