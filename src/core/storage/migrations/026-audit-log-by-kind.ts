import type { Migration } from './migration';

/**
 * An index of the audit log by kind. Tools & servers' grant history (the newest `sandbox.*` entries), `portcullis
 * audit list KIND` and a verify's look for `audit.masked` declarations read a few entries of some kinds from a log
 * that only grows (a policy decision per tool call): without it each read every entry. Policy decisions are left
 * out of it (the condition is `INDEXED_KINDS`, src/core/audit/indexed-kinds.ts): each tool call's decision commit
 * would write one more page, and nothing looks them up by kind. Measured on a log of 200,000 entries
 * (`bench/audit-kind.bench.ts`, figures in docs/storage.md). Version 26.
 */
export const migration026: Migration = {
  version: 26,
  name: 'audit log by kind',
  up(db) {
    db.exec("CREATE INDEX IF NOT EXISTS audit_log_by_kind ON audit_log(kind) WHERE kind <> 'policy.decision'");
  },
};
