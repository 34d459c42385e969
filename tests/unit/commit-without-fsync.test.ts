import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitWithoutFsync } from '../../src/core/storage/commit-without-fsync';
import { tempDir } from '../helpers/temp-dir';

const NORMAL = 1;
const FULL = 2;

function connection(synchronous: string) {
  const db = new BetterSqlite3(join(tempDir(), 'c.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec('CREATE TABLE t (n INTEGER)');
  const level = () => db.pragma('synchronous', { simple: true });
  return { db, level, insert: () => (db.prepare('INSERT INTO t (n) VALUES (1)').run(), level()) };
}

describe('commitWithoutFsync', () => {
  it('commits a FULL connection\'s write at NORMAL, and sets it back to FULL, every time', () => {
    const { db, level, insert } = connection('FULL');
    const withoutFsync = commitWithoutFsync(db);
    for (let i = 0; i < 3; i++) {
      expect(withoutFsync(insert)).toBe(NORMAL);
      expect(level()).toBe(FULL);
    }
    db.close();
  });

  it('leaves a connection at NORMAL or EXTRA at its level (making the helper does not set it FULL)', () => {
    for (const start of ['NORMAL', 'EXTRA']) {
      const { db, level, insert } = connection(start);
      const was = level();
      const withoutFsync = commitWithoutFsync(db);
      expect(level()).toBe(was);
      expect(withoutFsync(insert)).toBe(was);
      expect(level()).toBe(was);
      db.close();
    }
  });

  it('runs a write inside a transaction as it is', () => {
    const { db, level, insert } = connection('FULL');
    const withoutFsync = commitWithoutFsync(db);
    expect(db.transaction(() => withoutFsync(insert))()).toBe(FULL);
    expect(level()).toBe(FULL);
    db.close();
  });
});
