import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ValidationError } from '../../shared/errors';
import { caseInsensitiveFileSystem, isInside, realPrefix } from '../policy/matchers/resolve-path';
import { defaultWorkspace } from './data-paths';

/**
 * Checks a folder a person chose as the workspace and returns its real path (links followed), or throws a
 * `ValidationError` that says what is wrong with it. A folder that holds the data folder (the home folder, say) is
 * allowed: the data folder is then off limits to the tools (`workspaceScope`). A folder inside the data folder is
 * not, except the default workspace and what is in it: the tools would reach Portcullis's databases and config.
 * `~` and `~/…` are the home folder.
 */
export function checkWorkspaceFolder(typed: string, dataDir: string): string {
  // `~/projects` as a shell reads it, as mcp.json's paths are: what people coming from a terminal type.
  const path = typed === '~' || typed.startsWith('~/') ? resolve(homedir(), typed.slice(2)) : typed;
  if (!isAbsolute(path)) {
    throw new ValidationError(`"${path}" is not a full path: type the folder's path from the root, such as /home/you/projects.`);
  }
  let real: string;
  try {
    real = realpathSync.native(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ValidationError(`There is no folder at ${path}: create it first, or type another path.`);
    throw new ValidationError(`Portcullis cannot open ${path} (${code ?? 'unknown error'}): check its permissions, or type another path.`);
  }
  if (!statSync(real).isDirectory()) throw new ValidationError(`${path} is a file, not a folder: type the path of a folder.`);
  if (dirname(real) === real) {
    throw new ValidationError(`${real} is the root of the file system: choose a folder inside it, so the tools cannot reach the whole disk.`);
  }
  const data = realPrefix(dataDir);
  if (isInside(real, data, caseInsensitiveFileSystem) && !isInside(real, realPrefix(defaultWorkspace(dataDir)), caseInsensitiveFileSystem)) {
    throw new ValidationError(`${real} is inside Portcullis's data folder (${data}), where its databases and settings are: choose a folder outside it, or use the default.`);
  }
  return real;
}

/** What a person should know before the tools work in this folder: only that it is the whole home folder, for now. */
export function workspaceWarning(folder: string, home: string): string | null {
  if (realPrefix(folder) !== realPrefix(home)) return null;
  return `${folder} is your whole home folder: the tools may read and write everything in it that your policy allows (Portcullis's data folder stays off limits).`;
}
