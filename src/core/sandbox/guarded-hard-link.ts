import type { Stats } from 'node:fs';

/** Group and others may read it: what keys and credential files never allow. */
const READABLE_BY_OTHERS = 0o044;

/**
 * A file the built-in tools do not read through a hard link: one with more than one name on disk (its other names
 * may be outside the workspace, where the policy never sees them, and nothing here can tell what they are) that is
 * private to its owner or belongs to another user. A key, a token file or a `.netrc` is private (ssh, git, the AWS
 * and GitHub CLIs write them 0600, and ssh refuses a key others can read), so a link to one planted in the
 * workspace reads as that file under an innocent name. Hard links that real trees hold are readable by all (pnpm's
 * store, backups of ordinary files, git's objects) and are read as before; so is a hard link to a world-readable
 * file elsewhere. Windows reports no private mode bits and no owner here, so there it holds nothing back.
 */
export function isGuardedHardLink(opened: Pick<Stats, 'nlink' | 'mode' | 'uid'>): boolean {
  if (opened.nlink <= 1) return false;
  const private_ = (opened.mode & READABLE_BY_OTHERS) === 0;
  const othersFile = typeof process.getuid === 'function' && opened.uid !== process.getuid();
  return private_ || othersFile;
}

/** Why `path` is not read, for the model and the person. */
export function guardedHardLinkReason(path: string, opened: Pick<Stats, 'nlink'>, tool: string): string {
  return `"${path}" is a hard link (the same file has ${opened.nlink} names on disk, perhaps outside the workspace) to a file private to its owner or another user's, as keys and credential files are; ${tool} does not read it through a name the policy cannot judge it by. Copy the file into the workspace if it is meant to be read.`;
}
