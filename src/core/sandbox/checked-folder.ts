import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { caseInsensitiveFileSystem } from '../policy/matchers/resolve-path';

/**
 * Runs `act` with the process inside `folder`, the real path `resolveInWorkspace` proved inside the workspace, so that
 * what `act` names by `at(name)` is found from that very folder, not by walking its path again. Between the check and
 * the act, another process writing in the workspace (a server granted it, a sync client) could swap a folder on the
 * way for a link out, and a path walked again would follow it: fs.delete removed the file of that name outside. The
 * chdir follows such a link once, where it is seen (the process's folder is not the one checked) and refused.
 * `act` must be synchronous: the worker runs other calls meanwhile, and none may find the process elsewhere.
 *
 * A worker thread may not change the process's folder (Node refuses it: the desktop app runs its tools in one, to
 * hold them to a heap limit). There the folder is checked again just before `act`, and `at` gives full paths: the swap
 * then has a window of a few system calls rather than none.
 */
export function inCheckedFolder<T>(folder: string, root: string, shownPath: string, act: (at: (name: string) => string) => T): T {
  // node:worker_threads is loaded on the first delete, not with the tool code: loading it took ~0.8 ms of every worker's start.
  if (!process.getBuiltinModule('node:worker_threads').isMainThread) {
    if (!sameFolder(realPathOrNull(folder), folder)) throw changed(shownPath);
    return act((name) => join(folder, name));
  }
  const before = process.cwd();
  process.chdir(folder);
  try {
    if (!sameFolder(process.cwd(), folder)) throw changed(shownPath);
    return act((name) => name);
  } finally {
    // The worker's permission model may not let it back where it started (outside the workspace): the workspace then.
    try {
      process.chdir(before);
    } catch {
      process.chdir(root);
    }
  }
}

function sameFolder(now: string | null, folder: string): boolean {
  return now !== null && (caseInsensitiveFileSystem ? now.toLowerCase() === folder.toLowerCase() : now === folder);
}

function realPathOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function changed(shownPath: string): AppError {
  return new AppError('PATH_OUTSIDE_WORKSPACE', `Refused: "${shownPath}" changed while it was being reached (a folder on its way became a link out of the workspace); nothing was changed.`);
}
