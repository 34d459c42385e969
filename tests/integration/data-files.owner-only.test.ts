import Database from 'better-sqlite3';
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RotatingFile } from '../../src/core/logging/rotating-file';
import { openDatabase } from '../../src/core/storage/database';
import { tempDir } from '../helpers/temp-dir';

const modeOf = (path: string) => statSync(path).mode & 0o777;

// Windows has no such permission bits for Node to set: the data folder's ACL is what keeps them private there.
describe.skipIf(process.platform === 'win32')('the data files are readable by their owner alone (no POSIX modes on Windows)', () => {
  it('a database, its WAL and its index are 0600, also one an older version left world-readable', () => {
    const dir = tempDir();
    const fresh = join(dir, 'portcullis.db');
    const db = openDatabase(fresh);
    db.prepare('CREATE TABLE t (x)').run();
    db.prepare('INSERT INTO t VALUES (1)').run();
    expect([modeOf(fresh), modeOf(`${fresh}-wal`), modeOf(`${fresh}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    db.close();

    const older = join(dir, 'traces.db');
    new Database(older).close();
    chmodSync(older, 0o644);
    openDatabase(older).close();
    expect(modeOf(older)).toBe(0o600);
  });

  it('the log file is 0600', () => {
    const dir = tempDir();
    const log = new RotatingFile({ dir, name: 'portcullis.log' });
    log.write('a line\n');
    expect(modeOf(log.file)).toBe(0o600);
  });
});
