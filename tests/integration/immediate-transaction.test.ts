import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../src/core/storage/database';
import { immediateTransaction } from '../../src/core/storage/immediate-transaction';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

/**
 * Another connection, on a real thread, that takes the write lock and holds it until told to let go, or by itself
 * after `releaseAfterMs` (while this thread is blocked waiting for it).
 */
function lockHolder(file: string, releaseAfterMs?: number): Promise<{ release(): Promise<void>; stop(): Promise<void> }> {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const db = new (require(workerData.sqlite))(workerData.file);
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('held', '1', 1)").run();
    const release = () => { if (!db.open) return; db.exec('COMMIT'); db.close(); parentPort.postMessage('released'); };
    parentPort.postMessage('locked');
    if (workerData.releaseAfterMs !== undefined) setTimeout(release, workerData.releaseAfterMs);
    parentPort.on('message', release);
  `, { eval: true, workerData: { file, releaseAfterMs, sqlite: join(repoRoot, 'node_modules', 'better-sqlite3') } });
  const release = (): Promise<void> =>
    new Promise<void>((released) => {
      worker.once('message', () => void worker.terminate().then(() => released()));
      worker.postMessage('release');
    });
  const stop = (): Promise<void> => worker.terminate().then(() => undefined);
  return new Promise((locked) => worker.once('message', () => locked({ release, stop })));
}

describe('immediateTransaction', () => {
  let db: Database;
  let file: string;
  beforeEach(() => {
    file = join(tempDir(), 'portcullis.db');
    db = openDatabase(file);
  });
  afterEach(() => db.close());

  const put = (key: string) => db.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES (?, '1', 1)").run(key);
  const keys = () => (db.prepare('SELECT key FROM settings ORDER BY key').pluck().all() as string[]).filter((k) => k !== 'held');

  it('waits for a write lock another connection holds, then commits, and leaves the busy_timeout as it was', async () => {
    const holder = await lockHolder(file, 50);
    const transaction = immediateTransaction(db);
    expect(transaction(() => (put('mine'), 'done'))).toBe('done');
    expect(keys()).toEqual(['mine']);
    expect(db.prepare("SELECT count(*) AS n FROM settings WHERE key = 'held'").get()).toEqual({ n: 1 });
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5_000);
    await holder.stop();
  });

  it('gives up with SQLITE_BUSY after the busy_timeout when the lock is never let go, and writes nothing', async () => {
    db.pragma('busy_timeout = 200');
    const holder = await lockHolder(file);
    try {
      const started = Date.now();
      expect(() => immediateTransaction(db)(() => put('mine'))).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(db.inTransaction).toBe(false);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(200);
    } finally {
      await holder.release();
    }
    expect(keys()).toEqual([]);
  });

  it('rolls back what the write did when it throws; inside an open transaction it is a savepoint', () => {
    const transaction = immediateTransaction(db);
    expect(() => transaction(() => (put('a'), put('a')))).toThrow(/UNIQUE/);
    expect(keys()).toEqual([]);
    expect(db.inTransaction).toBe(false);
    transaction(() => {
      put('outer');
      expect(() => transaction(() => (put('inner'), put('inner')))).toThrow(/UNIQUE/);
    });
    expect(keys()).toEqual(['outer']);
  });
});
