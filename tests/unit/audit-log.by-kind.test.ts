import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log';
import { INDEXED_KINDS } from '../../src/core/audit/indexed-kinds';
import { openDatabase } from '../../src/core/storage/database';
import { tempDir } from '../helpers/temp-dir';

function logOf(kinds: string[]) {
  const db = openDatabase(join(tempDir(), 'portcullis.db'));
  const log = new AuditLog(db);
  kinds.forEach((kind, i) => log.record({ kind: kind as never, data: { i } }, 1000 + i));
  return { db, log };
}

/** How SQLite reads a statement: its query plan's steps, joined. */
const plan = (db: ReturnType<typeof openDatabase>, sql: string, ...args: unknown[]): string =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((step) => step.detail).join('; ');

describe("the audit log's entries of some kinds", () => {
  it('are those whose kind starts with the prefix, oldest first, and the chain still verifies', () => {
    const { db, log } = logOf(['policy.decision', 'sandbox.granted', 'api_key.created', 'sandbox.revoked', 'policy.decision', 'sandboxed.other', 'sandbox.granted']);
    expect(log.entriesOfKind('sandbox.').map((entry) => [entry.seq, entry.kind])).toEqual([[2, 'sandbox.granted'], [4, 'sandbox.revoked'], [7, 'sandbox.granted']]);
    // A prefix, as `audit list sandbox` takes it: "sandboxed.other" starts with it too.
    expect(log.entriesOfKind('sandbox').map((entry) => entry.seq)).toEqual([2, 4, 6, 7]);
    expect(log.entriesOfKind('api_key')).toEqual([expect.objectContaining({ seq: 3, kind: 'api_key.created', data: { i: 2 }, conversationId: null })]);
    expect(log.entriesOfKind('nothing')).toEqual([]);
    expect(log.entriesOfKind('sandbox.granted')).toEqual(log.entries().filter((entry) => entry.kind === 'sandbox.granted'));
    expect(log.verify()).toMatchObject({ ok: true, entries: 7 });
    db.close();
  });

  it('the newest of all (audit list without a kind): oldest first, read without the rest', () => {
    const { db, log } = logOf(Array.from({ length: 12 }, (_, i) => (i % 3 ? 'policy.decision' : 'sandbox.granted')));
    expect(log.latest(4).map((entry) => entry.seq)).toEqual([9, 10, 11, 12]);
    expect(log.latest(4)).toEqual(log.entries().slice(-4));
    expect(log.latest(50)).toHaveLength(12);
    db.close();
  });

  it('are looked up in the index by kind (migration 26), not by reading the whole log; policy decisions are not in it', () => {
    const { db, log } = logOf(['policy.decision', 'sandbox.granted', 'policy.loaded', 'policy.decision']);
    // Every statement that reads by kind, as SQLite would run it: the grant history's (AuditLog.newest), `audit list
    // KIND`'s (entriesOfKind) and verify's looks for declarations (declaredMasks, declaredLosses).
    const reads: string[] = [];
    const prepare = db.prepare.bind(db);
    (db as { prepare: typeof db.prepare }).prepare = ((sql: string) => {
      if (/WHERE kind/.test(sql)) reads.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    new AuditLog(db).verify();
    (db as { prepare: typeof db.prepare }).prepare = prepare;
    expect(reads.length).toBeGreaterThanOrEqual(5);
    for (const sql of reads.filter((read) => read.includes(INDEXED_KINDS))) {
      const args = sql.includes('json_each') ? ['["sandbox.granted"]', 5] : sql.includes('kind >=') ? ['sandbox', 'sandbox\u{10FFFF}'] : ['audit.masked'];
      expect(plan(db, sql, ...args), sql).toContain('USING INDEX audit_log_by_kind');
    }
    expect(reads.filter((read) => read.includes(INDEXED_KINDS))).toHaveLength(4);
    // A decision, one per tool call, is not written to it; read by kind, it is still found.
    expect(db.prepare("SELECT count(*) FROM audit_log INDEXED BY audit_log_by_kind WHERE kind <> 'policy.decision'").pluck().get()).toBe(2);
    expect(log.entriesOfKind('policy').map((entry) => entry.kind)).toEqual(['policy.decision', 'policy.loaded', 'policy.decision']);
    expect(log.newest(['policy.decision', 'sandbox.granted'], 10).map((entry) => entry.seq)).toEqual([4, 2, 1]);
    expect(log.newest(['sandbox.granted'], 10).map((entry) => entry.seq)).toEqual([2]);
    db.close();
  });
});
