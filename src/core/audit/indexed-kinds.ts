import type { AuditKind } from './audit-log';

/** The kind the audit log's index by kind leaves out: one entry per tool call, the bulk of the log. */
const UNINDEXED_KIND: AuditKind = 'policy.decision';

/**
 * The condition of the audit log's index by kind (migration 26, which spells it out the same). Policy decisions are
 * left out: each would write one more page into its tool call's decision commit, and nothing looks them up by kind.
 * SQLite uses a partial index only for a statement whose WHERE repeats its condition word for word, so a statement
 * that reads by kind adds this to its WHERE.
 */
export const INDEXED_KINDS = "kind <> 'policy.decision'";

/** Whether the index holds every entry of these kinds (none of them is a policy decision). */
export function indexHolds(kinds: readonly string[]): boolean {
  return !kinds.includes(UNINDEXED_KIND);
}

/** Whether the index holds every entry whose kind starts with `prefix` ("sandbox" yes, "policy" no). */
export function indexHoldsPrefix(prefix: string): boolean {
  return !UNINDEXED_KIND.startsWith(prefix);
}
