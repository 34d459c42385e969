import { constants } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { confirmOpened } from './opened-file';

/**
 * Writes `content` to a new file beside `target`, then renames it over `target`. A full disk, a crash or a kill
 * part-way leaves the old contents whole, where truncating and writing in place left the file empty or cut short
 * (and on a full disk the one short write was reported as written). `mode`: the permission bits to keep.
 * Returns the bytes written.
 */
export async function replaceWhole(target: string, mode: number, content: string, shownPath: string): Promise<number> {
  const partial = join(dirname(target), `.${basename(target)}.${partialSuffix()}.portcullis-partial`);
  // Made with the old file's permission bits (less the umask): fchmod is refused under Node's permission model, in
  // which this runs, and a chmod by path could be sent through a link planted there.
  const handle = await open(partial, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode & 0o777);
  try {
    try {
      // Beside the target, as checked: not through a folder that became a link on the way.
      await confirmOpened(handle, partial, shownPath);
      await handle.writeFile(content, 'utf8'); // every byte, or the error (ENOSPC) that stopped it
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(partial, target);
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    throw error;
  }
  return Buffer.byteLength(content, 'utf8');
}

let written = 0;

/**
 * A name no other write uses: the process, a count and a random part. Not node:crypto's: loading it costs a tool
 * worker's start ~4 ms (OpenSSL), and the name needs no secrecy: O_EXCL | O_NOFOLLOW refuse a file or link planted
 * there, so a guessed name can only fail the write, never redirect it.
 */
function partialSuffix(): string {
  written += 1;
  return `${process.pid.toString(36)}${written.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
