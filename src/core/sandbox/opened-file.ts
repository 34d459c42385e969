import type { FileHandle } from 'node:fs/promises';
import { realpath, stat } from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import { caseInsensitiveFileSystem } from '../policy/matchers/resolve-path';

/**
 * Proves the file a tool opened is the one its path was checked as: `target` (the real path `resolveInWorkspace`
 * proved inside the workspace) is still its own real path, and the same file (device and inode) as the handle. Between the check and the open, another process writing in
 * the workspace could swap a folder on the way for a link that leads out (O_NOFOLLOW guards only the last part of
 * the path, and Node's permission model follows links); such a file is refused before anything is read or written.
 */
export async function confirmOpened(handle: FileHandle, target: string, shownPath: string): Promise<void> {
  const [opened, named, real] = await Promise.all([handle.stat(), stat(target).catch(() => null), realpath(target).catch(() => null)]);
  const sameFile = named !== null && named.dev === opened.dev && named.ino === opened.ino;
  const samePath = real !== null && (caseInsensitiveFileSystem ? real.toLowerCase() === target.toLowerCase() : real === target);
  if (sameFile && samePath) return;
  throw new AppError('PATH_OUTSIDE_WORKSPACE', `Refused: "${shownPath}" changed while it was being opened (a folder on its way became a link out of the workspace); nothing was read or written.`);
}
