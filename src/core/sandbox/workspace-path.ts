import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import { caseInsensitiveFileSystem, isInside } from '../policy/matchers/resolve-path';

function outside(requested: string, detail: string): AppError {
  return new AppError(
    'PATH_OUTSIDE_WORKSPACE',
    `Refused: "${requested}" ${detail}. Tools may only touch files inside the workspace folder; use a path relative to it.`,
  );
}

/** realpath, treating "the sandbox will not let us look" (Node's permission model) as "outside". */
async function realpathOrNull(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'ERR_ACCESS_DENIED' || code === 'EACCES' || code === 'ELOOP') return 'denied';
    throw error;
  }
}

/**
 * The workspace folder's real location. One moved or deleted while Portcullis runs is said to be that, and what
 * to do, not an internal error.
 */
export async function workspaceRoot(root: string): Promise<string> {
  try {
    return await realpath(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    throw new AppError(
      'TOOL_FAILED',
      `The workspace folder ${root} is not there any more (moved or deleted while Portcullis ran). Put it back, or choose another in Settings → Workspace.`,
    );
  }
}

/**
 * Resolves a path the model gave against the workspace root and proves it stays inside, following symlinks:
 * absolute paths, `..` escapes and links (even dangling ones) that lead outside are refused.
 * For paths that do not exist yet, the nearest existing ancestor is resolved instead. A path that ends up in one
 * of the `offLimits` folders (real paths: the data folder, when the workspace holds it) is refused too.
 */
export async function resolveInWorkspace(workspaceRootPath: string, requested: string, offLimits: readonly string[] = []): Promise<string> {
  if (requested.includes('\0')) throw outside(requested.replaceAll('\0', '\\0'), 'contains a NUL byte');
  if (isAbsolute(requested) || /^[a-zA-Z]:[\\/]/.test(requested) || requested.startsWith('\\\\')) {
    throw outside(requested, 'is an absolute path');
  }
  const root = await workspaceRoot(workspaceRootPath);
  const lexical = resolve(root, requested);
  if (!isInside(lexical, root, false)) throw outside(requested, 'leads out of the workspace');

  // Walk up to the nearest existing ancestor and resolve its real location. A missing part that is a
  // (dangling) link would let a write create a file wherever it points, so it is refused.
  const missing: string[] = [];
  let existing = lexical;
  for (;;) {
    const real = await realpathOrNull(existing);
    if (real === 'denied') throw outside(requested, 'leads to a place the sandbox cannot see');
    if (real !== null) {
      if (!isInside(real, root, false)) throw outside(requested, 'follows a link out of the workspace');
      const target = join(real, ...missing);
      // Off-limits folders are refused whatever the case of the path, where the file system ignores case.
      if (offLimits.some((folder) => isInside(target, folder, caseInsensitiveFileSystem))) {
        throw new AppError('PATH_OUTSIDE_WORKSPACE', `Refused: "${requested}" is inside Portcullis's own data folder, which no tool may read or change.`);
      }
      return target;
    }
    if (await isSymlink(existing)) throw outside(requested, 'goes through a link that points nowhere');
    missing.unshift(basename(existing));
    existing = dirname(existing);
  }
}

async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}
