import { describe, expect, it } from 'vitest';
import { logWith } from '../helpers/audit-log-of';

describe('entries a salvage declared lost', () => {
  it('are said as lost, not as tampering, and the walk goes on past them', () => {
    const { db, log } = logWith(10);
    db.prepare('DELETE FROM audit_log WHERE seq BETWEEN 4 AND 6').run();
    log.declareSalvage({ auditEntriesLost: [[4, 6]] }, Date.UTC(2026, 10, 25, 23, 0));
    const result = log.verify();
    expect(result).toMatchObject({ ok: false, seq: 4, lost: [{ from: 4, through: 6, declaredBy: 11 }] });
    expect((result as { problem: string }).problem).toBe(
      'entries 4–6 were lost with a damaged page of the database: `portcullis db salvage` on 2026-11-25 23:00 UTC says so in entry 11. What they recorded, and whether the entry after a gap followed it, can no longer be checked; every other entry verifies',
    );
    // Past the gap the chain is still checked.
    db.prepare("UPDATE audit_log SET data_json = '{}' WHERE seq = 8").run();
    expect(log.verify()).toMatchObject({ ok: false, seq: 8, problem: expect.stringMatching(/^entry 8 \(policy\.decision\) was edited/) });
    db.close();
  });

  it('count only where the declaration is on the chain after the gap: one deleted later, or forged, is tampering', () => {
    const { db, log } = logWith(10);
    log.declareSalvage({ auditEntriesLost: [[4, 6]] }, 5000);
    for (let i = 12; i <= 14; i++) log.record({ kind: 'policy.decision', data: { i } }, 6000 + i);
    // Entries deleted after the salvage are not the ones it declared.
    db.prepare('DELETE FROM audit_log WHERE seq BETWEEN 12 AND 13').run();
    expect(log.verify()).toMatchObject({ ok: false, seq: 12, problem: 'entry 12–13 is missing (deleted): the log jumps from 11 to 14' });
    db.close();

    const forged = logWith(10);
    forged.db.prepare('DELETE FROM audit_log WHERE seq = 5').run();
    forged.db.prepare("INSERT INTO audit_log (seq, at, kind, data_json, prev_hash, hash) VALUES (11, 1, 'database.salvaged', '{\"auditEntriesLost\":[[5,5]]}', 'x', 'y')").run();
    expect(forged.log.verify()).toMatchObject({ ok: false, seq: 11 });
    forged.db.close();
  });
});
