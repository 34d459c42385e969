import { closeSync, copyFileSync, existsSync, constants, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Copies the database file (and its WAL and shared-memory files, which hold committed data not yet
 * checkpointed) next to it under a dated name that never replaces an existing file. Returns the copy's path.
 * A copy of the very same bytes kept by an earlier start is returned instead: every start refused by the same
 * damaged file made another full copy of it, which on a large history (or a nearly full disk) adds up fast.
 */
export function backupDatabase(file: string, reason: string, now: Date = new Date()): string {
  const earlier = earlierCopy(file, reason);
  if (earlier) return earlier;
  const stamp = now.toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  let backup = `${file}.${reason}-${stamp}.bak`;
  for (let n = 2; existsSync(backup); n++) backup = `${file}.${reason}-${stamp}-${n}.bak`;
  copyFileSync(file, backup, constants.COPYFILE_EXCL);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) copyFileSync(file + suffix, backup + suffix, constants.COPYFILE_EXCL);
  }
  return backup;
}

/** A copy made for the same reason that holds what the file and its WAL hold now. */
export function earlierCopy(file: string, reason: string): string | undefined {
  const prefix = `${basename(file)}.${reason}-`;
  return readdirSync(dirname(file))
    .filter((name) => name.startsWith(prefix) && name.endsWith('.bak'))
    .map((name) => join(dirname(file), name))
    .find((copy) => sameBytes(file, copy) && sameBytes(`${file}-wal`, `${copy}-wal`));
}

/** Whether two files hold the same bytes (two missing files count as the same). */
function sameBytes(a: string, b: string): boolean {
  const [aThere, bThere] = [existsSync(a), existsSync(b)];
  if (!aThere || !bThere) return aThere === bThere;
  if (statSync(a).size !== statSync(b).size) return false;
  const [fa, fb] = [openSync(a, 'r'), openSync(b, 'r')];
  try {
    const [ba, bb] = [Buffer.alloc(1 << 20), Buffer.alloc(1 << 20)];
    for (;;) {
      const read = readSync(fa, ba, 0, ba.length, null);
      if (read !== readSync(fb, bb, 0, bb.length, null)) return false;
      if (read === 0) return true;
      if (!ba.subarray(0, read).equals(bb.subarray(0, read))) return false;
    }
  } finally {
    closeSync(fa);
    closeSync(fb);
  }
}
