import BetterSqlite3 from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/storage/database';
import { LATEST_SCHEMA_VERSION } from '../../src/core/storage/migrations/index';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { AuditLog } from '../../src/core/audit/audit-log';
import { ToolCallStore } from '../../src/core/storage/stores/tool-call-store';
import { AppError } from '../../src/shared/errors';
import { openError } from '../helpers/damaged-page';
import { tempDir } from '../helpers/temp-dir';

function seeded(file: string, messages = 50) {
  const db = openDatabase(file);
  new ConversationStore(db).create({ id: 'c1', title: 'Chat', createdAt: 1, updatedAt: 1 });
  const store = new MessageStore(db);
  for (let i = 0; i < messages; i++) {
    store.append({ id: `m${i}`, conversationId: 'c1', turnId: 't', role: 'user', content: `message ${i} ${'x'.repeat(200)}`, traceId: null, createdAt: i });
  }
  return { db, store };
}

const backups = (dir: string, kind: string) => readdirSync(dir).filter((f) => f.includes(`.${kind}-`) && f.endsWith('.bak'));

describe('storage durability', () => {
  it('a step that reads before it writes (a decision and its audit entry) never fails because another connection wrote in between', () => {
    // The span writer thread writes on its own connection at any moment. A deferred transaction that has read
    // cannot become a writer once someone else committed (SQLITE_BUSY at once, whatever busy_timeout says);
    // an IMMEDIATE one holds the write lock from its start, so the other connection waits instead.
    const file = join(tempDir(), 'p.db');
    const main = openDatabase(file);
    const other = openDatabase(file);
    other.pragma('busy_timeout = 0');
    const audit = new AuditLog(main);
    audit.record({ kind: 'policy.loaded', data: {} });
    let otherWrote = false;
    new ToolCallStore(main).atomically(() => {
      main.prepare('SELECT count(*) FROM audit_log').get();
      try {
        other.exec("INSERT INTO telemetry_counters (name, value, updated_at) VALUES ('elsewhere', 1, 0)");
        otherWrote = true;
      } catch (error) {
        expect((error as { code: string }).code).toBe('SQLITE_BUSY');
      }
      audit.record({ kind: 'policy.decision', data: { effect: 'allow' } });
    }, { durable: false });
    expect(otherWrote).toBe(false);
    expect(audit.verify()).toMatchObject({ ok: true, entries: 2 });
    // Outside the step the other connection writes as usual.
    other.exec("INSERT INTO telemetry_counters (name, value, updated_at) VALUES ('elsewhere', 1, 0)");
    other.close();
    main.close();
  });

  it('uses WAL, full sync, secure delete and incremental vacuum', () => {
    const db = openDatabase(join(tempDir(), 'p.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    db.close();
  });

  it('a full disk gives a clear error, rolls back the write and corrupts nothing', () => {
    const file = join(tempDir(), 'p.db');
    const { db, store } = seeded(file, 10);
    // SQLite's own cap on the file stands in for a full disk: the same SQLITE_FULL reaches the same code.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);
    let error: unknown;
    try {
      for (let i = 0; i < 1_000; i++) {
        store.append({ id: `big${i}`, conversationId: 'c1', turnId: 't', role: 'user', content: 'y'.repeat(8_000), traceId: null, createdAt: 100 + i });
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'STORAGE_FULL', message: expect.stringMatching(/disk is full.*Everything saved before is intact/) });
    db.close();
    const reopened = openDatabase(file);
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(new MessageStore(reopened).list('c1').filter((m) => m.id.startsWith('m'))).toHaveLength(10);
    reopened.close();
  });

  it('an I/O error on write (a read-only file) gives a clear error and changes nothing', () => {
    const file = join(tempDir(), 'p.db');
    const { db } = seeded(file, 3);
    db.close();
    const readOnly = new BetterSqlite3(file, { readonly: true });
    const store = new MessageStore(readOnly);
    expect(() => store.append({ id: 'z', conversationId: 'c1', turnId: 't', role: 'user', content: 'z', traceId: null, createdAt: 9 })).toThrow(
      expect.objectContaining({ code: 'DATABASE_ERROR', message: expect.stringMatching(/SQLITE_READONLY.*not saved/) }),
    );
    readOnly.close();
    expect(new MessageStore(openDatabase(file)).list('c1')).toHaveLength(3);
  });

  it('a damaged file is detected at start, kept as a backup, and never overwritten', () => {
    const dir = tempDir();
    const file = join(dir, 'portcullis.db');
    const { db } = seeded(file, 300);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(file);
    // Scribble over the middle pages (not the header): a torn or bit-rotted file.
    bytes.fill(0x5a, 4096 * 3, 4096 * 6);
    writeFileSync(file, bytes);
    const damaged = readFileSync(file);
    expect(openError(file)).toMatchObject({ code: 'DATABASE_CORRUPT', message: expect.stringMatching(/is damaged.*did not change it and kept a copy at/s) });
    const [backup] = backups(dir, 'corrupt');
    expect(backup).toBeDefined();
    expect(readFileSync(join(dir, backup!)).equals(damaged)).toBe(true);
    expect(readFileSync(file).equals(damaged)).toBe(true);
  });

  it('a file that is not a database at all is refused with a backup', () => {
    const dir = tempDir();
    const file = join(dir, 'portcullis.db');
    writeFileSync(file, 'these are my notes, not a database'.repeat(100));
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'DATABASE_CORRUPT' }));
    expect(backups(dir, 'corrupt')).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toMatch(/^these are my notes/);
  });

  it('a newer-than-known database is refused, kept unchanged, and backed up', () => {
    const dir = tempDir();
    const file = join(dir, 'portcullis.db');
    const { db } = seeded(file, 1);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer Portcullis.*A copy was kept at/);
    expect(backups(dir, 'newer')).toHaveLength(1);
    expect(existsSync(file)).toBe(true);
  });
});
