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
