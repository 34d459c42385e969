import { copyFileSync, existsSync, constants } from 'node:fs';

/**
 * Copies the database file (and its WAL and shared-memory files, which hold committed data not yet
 * checkpointed) next to it under a dated name that never replaces an existing file. Returns the copy's path.
 */
export function backupDatabase(file: string, reason: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  let backup = `${file}.${reason}-${stamp}.bak`;
  for (let n = 2; existsSync(backup); n++) backup = `${file}.${reason}-${stamp}-${n}.bak`;
  copyFileSync(file, backup, constants.COPYFILE_EXCL);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) copyFileSync(file + suffix, backup + suffix, constants.COPYFILE_EXCL);
  }
  return backup;
}
