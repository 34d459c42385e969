import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log';
import { openDatabase } from '../../src/core/storage/database';
import { tempDir } from '../helpers/temp-dir';

function logWith(n: number) {
  const db = openDatabase(join(tempDir(), 'portcullis.db'));
  const log = new AuditLog(db);
  for (let i = 1; i <= n; i++) log.record({ kind: 'policy.decision', toolCallId: `tc${i}`, data: { effect: i % 2 ? 'allow' : 'ask', i } }, 1000 + i);
  return { db, log };
}

describe('audit log hash chain', () => {
  it('an untouched log verifies, also after reopening', () => {
    const { db, log } = logWith(5);
    expect(log.verify()).toMatchObject({ ok: true, entries: 5 });
    db.close();
  });

  it('detects an edited entry and says which', () => {
    const { db, log } = logWith(5);
    db.prepare(`UPDATE audit_log SET data_json = '{"effect":"deny","i":3}' WHERE seq = 3`).run();
    expect(log.verify()).toMatchObject({ ok: false, seq: 3 });
    expect((log.verify() as { problem: string }).problem).toMatch(/entry 3 .*edited/);
    db.close();
  });

  it('detects an edited entry whose hash was recomputed, at the next entry', () => {
    const { db, log } = logWith(5);
    db.prepare("UPDATE audit_log SET hash = 'f' || substr(hash, 2) WHERE seq = 2").run();
    const result = log.verify();
    expect(result).toMatchObject({ ok: false, seq: 2 });
    db.close();
  });

  it('detects a deleted entry in the middle and at the end', () => {
    const { db, log } = logWith(5);
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(log.verify()).toMatchObject({ ok: false, seq: 2 });
    expect((log.verify() as { problem: string }).problem).toMatch(/missing/);
    const other = logWith(5);
    other.db.prepare('DELETE FROM audit_log WHERE seq = 5').run();
    expect(other.log.verify()).toMatchObject({ ok: false, seq: 5 });
    db.close();
    other.db.close();
  });

  it('detects a deleted entry even when later ones were renumbered', () => {
    const { db, log } = logWith(4);
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    db.prepare('UPDATE audit_log SET seq = seq - 1 WHERE seq > 2').run();
    expect(log.verify()).toMatchObject({ ok: false, seq: 2 });
    db.close();
  });
});
