import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { expandHome } from '../mcp/home-path';
import { isInside } from '../policy/matchers/resolve-path';

/** Node's words for a write the sandbox kept read-only: `EROFS: read-only file system, open '/x/y'` (rename: `'/a' -> '/b'`). */
const NODE_READ_ONLY = /\bEROFS: read-only file system, \w+ '([^']+)'(?: -> '([^']+)')?/g;
/** Python's: `[Errno 30] Read-only file system: '/x/y'`, the path as its repr writes it (in "…" when it holds a '). */
const PYTHON_READ_ONLY = /\[Errno 30\] Read-only file system: ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")(?: -> ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"))?/g;

/** The full paths a server's error text says it could not write because the file system is read-only. */
export function refusedWritePaths(errorText: string): string[] {
  const paths: string[] = [];
  for (const match of errorText.matchAll(NODE_READ_ONLY)) paths.push(...[match[1], match[2]].filter((p): p is string => p !== undefined));
  for (const match of errorText.matchAll(PYTHON_READ_ONLY)) paths.push(...[match[1], match[2]].filter((p): p is string => p !== undefined).map(fromPythonRepr));
  return [...new Set(paths.filter((path) => isAbsolute(path)).map((path) => resolve(path)))];
}

function fromPythonRepr(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** The folder a write to `path` needed: its nearest parent that exists as a folder (a new file's, or a new folder's). */
export function folderOfWrite(path: string): string {
  let folder = dirname(resolve(path));
  while (!isFolder(folder)) {
    const up = dirname(folder);
    if (up === folder) break;
    folder = up;
  }
  return folder;
}

/** The folders the writes an error text says were refused needed, once each: of the paths at or inside one of `named`. */
export function refusedWriteFolders(errorText: string, named: readonly string[]): string[] {
  const asked = named.map((path) => resolve(path));
  const refused = refusedWritePaths(errorText).filter((path) => asked.some((root) => isInside(path, root, false)));
  return [...new Set(refused.map(folderOfWrite))];
}

/** The absolute paths (`~` as the home folder) among a call's argument values, nested ones too. */
export function pathsNamedIn(args: unknown, depth = 0): string[] {
  if (typeof args === 'string') {
    const expanded = expandHome(args);
    return isAbsolute(expanded) ? [expanded] : [];
  }
  if (args === null || typeof args !== 'object' || depth > 4) return [];
  return Object.values(args).flatMap((value) => pathsNamedIn(value, depth + 1));
}

/** Whether `path` is a folder now (false for anything absent or unreadable). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
