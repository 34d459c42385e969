import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { secretsCommand } from '../../src/cli/commands/secrets';
import { openDatabase } from '../../src/core/storage/database';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

/**
 * The POSIX locks this process holds on a file (Linux's /proc/locks). A WAL connection holds a shared one on its
 * database for as long as it is open: it is how another process's SQLite, closing, tells that the WAL is still in
 * use and must not be checkpointed away and deleted (SQLite before 3.4x looks at nothing else).
 */
function locksHeldOn(file: string): string[] {
  const inode = statSync(file).ino;
  return readFileSync('/proc/locks', 'utf8')
    .split('\n')
    .filter((line) => line.split(/\s+/).includes(String(process.pid)) && line.includes(`:${inode} `));
}

describe.runIf(process.platform === 'linux')("a database's connections keep their locks on it", () => {
  it('when this process opens it again (the span writer thread adds a connection)', () => {
    const file = join(tempDir(), 'portcullis.db');
    const db = openDatabase(file);
    onTestFinished(() => void db.close());
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    expect(locksHeldOn(file)).not.toEqual([]);
    const another = openDatabase(file, { check: 'none' });
    onTestFinished(() => void another.close());
    // Reading its header through a descriptor of its own and closing that released every lock SQLite held on it.
    expect(locksHeldOn(file)).not.toEqual([]);
  });

  it('when this process opens it again as a command does, header check and all, and closes that', () => {
    const file = join(tempDir(), 'portcullis.db');
    const db = openDatabase(file);
    onTestFinished(() => void db.close());
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    openDatabase(file).close();
    expect(locksHeldOn(file)).not.toEqual([]);
  });

  it('while `portcullis secrets scrub` runs on its folder in this process (its connections and its settings read)', async () => {
    const dataDir = tempDir();
    const t = startTestRuntime({ dataDir });
    onTestFinished(() => t.runtime.dispose());
    await t.runtime.handlers['conversations.create']({});
    const file = join(dataDir, 'portcullis.db');
    await until('a lock on portcullis.db', () => locksHeldOn(file), (locks) => locks.length > 0);
    const lines: string[] = [];
    expect(await secretsCommand({ values: { 'data-dir': dataDir, json: true }, positionals: ['scrub'], out: (line) => void lines.push(line) }, new MemorySecretStore({ later: 'zqlocks4h7v2x9' }))).toBe(0);
    expect(locksHeldOn(file)).not.toEqual([]);
  });

  it('while a runtime runs, its span writer thread started', async () => {
    const dataDir = tempDir();
    const t = startTestRuntime({ dataDir });
    onTestFinished(() => t.runtime.dispose());
    await t.runtime.handlers['conversations.create']({});
    await t.runtime.telemetry.flush();
    await until('a lock on portcullis.db', () => locksHeldOn(join(dataDir, 'portcullis.db')), (locks) => locks.length > 0);
    // The thread's connection opens after the main one, at start: the lock must outlast it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(locksHeldOn(join(dataDir, 'portcullis.db'))).not.toEqual([]);
  });
});
