import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../src/core/storage/database';
import { LATEST_SCHEMA_VERSION } from '../../src/core/storage/migrations';
import { tempDir } from '../helpers/temp-dir';

const root = process.getuid?.() === 0;

/** Whether `chattr +i` works here (it needs a file system with the immutable flag), tried once on a scratch file. */
function immutableFlagWorks(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-probe-'));
  const probe = join(dir, 'probe');
  writeFileSync(probe, '');
  try {
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Root is stopped by no permission, only by the immutable flag; anyone else by read-only permissions. */
const canMakeUnwritable = !root || immutableFlagWorks();

/** Makes `file` unwritable to this process, as `canMakeUnwritable` says it can be. */
function makeUnwritable(file: string): void {
  if (!root) return chmodSync(file, 0o444);
  execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
  onTestFinished(() => void execFileSync('chattr', ['-i', file], { stdio: 'ignore' }));
}

describe('a database Portcullis cannot write', () => {
  it.skipIf(!canMakeUnwritable)(
    'says the data folder or file is not writable and what to do, not "attempt to write a readonly database" (skipped only as root on a file system without chattr +i: nothing can be made unwritable to root there)',
    () => {
      const file = join(tempDir(), 'portcullis.db');
      openDatabase(file, { migrateTo: LATEST_SCHEMA_VERSION - 1 }).close(); // an older file: opening it now writes (a migration)
      makeUnwritable(file);
      expect(() => openDatabase(file)).toThrow(/is not writable\. Check their permissions and owner, or choose another folder with --data-dir\./);
    },
  );
});
