import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit/audit-log';
import { Redactor } from '../../src/core/redaction/redactor';
import { openDatabase } from '../../src/core/storage/database';
import { logWith } from '../helpers/audit-log-of';
import { tempDir } from '../helpers/temp-dir';

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

describe('audit entries holding a secret', () => {
  const SECRET = 'zqcanary7x4k9m2p';
  const maskSecret = (dataJson: string): string | null => (dataJson.includes(SECRET) ? dataJson.replaceAll(SECRET, '[REDACTED:secret]') : null);

  function logWithNote() {
    const { db, log } = logWith(3);
    log.record({ kind: 'approval.decided', toolCallId: 'tc4', data: { outcome: 'denied', note: `not with ${SECRET}` } }, 2000);
    log.record({ kind: 'policy.decision', toolCallId: 'tc5', data: { effect: 'allow' } }, 2001);
    return { db, log };
  }

  it('a secret known when an entry is written is masked before it is hashed', () => {
    const db = openDatabase(join(tempDir(), 'portcullis.db'));
    const redactor = new Redactor();
    redactor.register(SECRET);
    const log = new AuditLog(db, () => false, redactor);
    log.record({ kind: 'approval.decided', data: { note: `not with ${SECRET}` } }, 1000);
    expect(JSON.stringify(log.entries())).not.toContain(SECRET);
    expect(log.entries()[0]!.data).toEqual({ note: 'not with [REDACTED:secret]' });
    expect(log.verify()).toMatchObject({ ok: true, masked: 0 });
    db.close();
  });

  it('entries masked later keep their hashes and are declared on the chain: the log still verifies, and says how many', () => {
    const { db, log } = logWithNote();
    const hashBefore = log.entries()[3]!.hash;
    expect(log.mask([1, 4], maskSecret, 3000)).toBe(1);
    const entries = log.entries();
    expect(JSON.stringify(entries)).not.toContain(SECRET);
    expect(entries[3]).toMatchObject({ data: { note: 'not with [REDACTED:secret]' }, hash: hashBefore });
    expect(entries.at(-1)).toMatchObject({ seq: 6, kind: 'audit.masked', data: { entries: [{ seq: 4, hash: hashBefore }] } });
    expect(log.verify()).toMatchObject({ ok: true, entries: 6, masked: 1 });
    db.close();
  });

  it('a masked entry edited afterwards, an undeclared edit and an edited declaration are all still caught', () => {
    const edited = logWithNote();
    edited.log.mask([4], maskSecret, 3000);
    edited.db.prepare(`UPDATE audit_log SET data_json = '{"outcome":"approved","note":"[REDACTED:secret]"}' WHERE seq = 4`).run();
    expect(edited.log.verify()).toMatchObject({ ok: false, seq: 4 });
    expect((edited.log.verify() as { problem: string }).problem).toMatch(/entry 4 .*after a secrets scrub masked it \(entry 6\)/);
    edited.db.close();

    const undeclared = logWithNote();
    undeclared.db.prepare("UPDATE audit_log SET data_json = replace(data_json, ?, '[REDACTED:secret]') WHERE seq = 4").run(SECRET);
    expect(undeclared.log.verify()).toMatchObject({ ok: false, seq: 4 });
    undeclared.db.close();

    // A declaration rewritten to name another entry: the entry it no longer declares is caught.
    const forged = logWithNote();
    forged.log.mask([4], maskSecret, 3000);
    forged.db.prepare("UPDATE audit_log SET data_json = replace(data_json, '\"seq\":4', '\"seq\":2') WHERE seq = 6").run();
    expect(forged.log.verify()).toMatchObject({ ok: false, seq: 4 });
    forged.db.close();
  });

  it('a declaration is never masked itself', () => {
    const { db, log } = logWithNote();
    log.mask([4], maskSecret, 3000);
    expect(log.mask([6], () => '{"entries":[]}', 3001)).toBe(0);
    expect(log.verify()).toMatchObject({ ok: true, entries: 6, masked: 1 });
    db.close();
  });
});

describe('audit verify beside another process that writes', () => {
  it('an entry appended while the chain is walked (the running app, beside `portcullis audit verify`) is no deleted end', () => {
    const file = join(tempDir(), 'portcullis.db');
    const app = new AuditLog(openDatabase(file));
    for (let i = 1; i <= 3; i++) app.record({ kind: 'policy.decision', data: { i } }, 1000 + i);
    const reader = openDatabase(file);
    // The app appends after the entries were read and before the anchor is: the moment a second connection's
    // verify reads its last statement.
    const interleaved = new Proxy(reader, {
      get(target, property) {
        if (property === 'prepare') {
          return (sql: string) => {
            const statement = target.prepare(sql);
            if (!sql.includes('FROM audit_anchor')) return statement;
            return new Proxy(statement, {
              get(inner, name) {
                if (name !== 'get') return (Reflect.get(inner, name) as unknown as { bind?: (t: unknown) => unknown }).bind?.(inner) ?? Reflect.get(inner, name);
                return (...args: unknown[]) => {
                  app.record({ kind: 'policy.decision', data: { meanwhile: true } }, 2000);
                  return (inner.get as (...a: unknown[]) => unknown)(...args);
                };
              },
            });
          };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    expect(new AuditLog(interleaved).verify()).toMatchObject({ ok: true, entries: 3 });
    expect(new AuditLog(reader).verify()).toMatchObject({ ok: true, entries: 4 });
    reader.close();
  });
});
