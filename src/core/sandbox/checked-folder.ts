import { AppError } from '../../shared/errors';
import { caseInsensitiveFileSystem } from '../policy/matchers/resolve-path';

/**
 * Runs `act` with the process inside `folder`, the real path `resolveInWorkspace` proved inside the workspace, so that
 * what `act` names relative to it is found from that very folder, not by walking its path again. Between the check and
 * the act, another process writing in the workspace (a server granted it, a sync client) could swap a folder on the
 * way for a link out, and a path walked again would follow it: fs.delete removed the file of that name outside. The
 * chdir follows such a link once, where it is seen (the process's folder is not the one checked) and refused.
 * `act` must be synchronous: the worker runs other calls meanwhile, and none may find the process elsewhere.
 */
export function inCheckedFolder<T>(folder: string, root: string, shownPath: string, act: () => T): T {
  const before = process.cwd();
  process.chdir(folder);
  try {
    const now = process.cwd();
    if (caseInsensitiveFileSystem ? now.toLowerCase() !== folder.toLowerCase() : now !== folder) {
      throw new AppError('PATH_OUTSIDE_WORKSPACE', `Refused: "${shownPath}" changed while it was being reached (a folder on its way became a link out of the workspace); nothing was changed.`);
    }
    return act();
  } finally {
    // The worker's permission model may not let it back where it started (outside the workspace): the workspace then.
    try {
      process.chdir(before);
    } catch {
      process.chdir(root);
    }
  }
}
