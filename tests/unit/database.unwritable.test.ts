import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../src/core/storage/database';
import { LATEST_SCHEMA_VERSION } from '../../src/core/storage/migrations';
import { tempDir } from '../helpers/temp-dir';

/** Makes `file` immutable (`chattr +i`: refused even to root, whom file permissions do not stop); false where the file system cannot. */
function immutable(file: string): boolean {
  try {
    execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
  } catch {
    return false;
  }
  onTestFinished(() => void execFileSync('chattr', ['-i', file], { stdio: 'ignore' }));
  return true;
}

describe('a database Portcullis cannot write', () => {
  it('says the data folder or file is not writable and what to do, not "attempt to write a readonly database"', (context) => {
    const file = join(tempDir(), 'portcullis.db');
    openDatabase(file, { migrateTo: LATEST_SCHEMA_VERSION - 1 }).close(); // an older file: opening it now writes (a migration)
    if (!immutable(file)) context.skip('chattr +i is not available on this file system, so no file can be made unwritable to root here');
    expect(() => openDatabase(file)).toThrow(/is not writable\. Check their permissions and owner, or choose another folder with --data-dir\./);
  });
});
