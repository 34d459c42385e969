import { statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { expandHome } from '../mcp/home-path';
import { isInside } from '../policy/matchers/resolve-path';

/** Node's words for a write the sandbox kept read-only: `EROFS: read-only file system, open '/x/y'` (rename: `'/a' -> '/b'`). */
const NODE_READ_ONLY = /\bEROFS: read-only file system, \w+ '([^']+)'(?: -> '([^']+)')?/g;
/** Python's: `[Errno 30] Read-only file system: '/x/y'`, the path as its repr writes it (in "…" when it holds a '). */
const pythonRefusal = (errno: number, words: string) => {
  const repr = String.raw`('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")`;
  return new RegExp(String.raw`\[Errno ${errno}\] ${words}: ${repr}(?: -> ${repr})?`, 'g');
};
const PYTHON_READ_ONLY = pythonRefusal(30, 'Read-only file system');

/**
 * macOS's sandbox (sandbox-exec) refuses a write with EPERM, not EROFS: Node's `EPERM: operation not permitted,
 * open '/x/y'`, Python's `[Errno 1] Operation not permitted: '/x/y'`. Only the calls that write are read so.
 */
const NODE_NOT_PERMITTED = /\bEPERM: operation not permitted, (?:open|mkdir|rename|unlink|rmdir|copyfile|symlink|link|utime|chmod) '([^']+)'(?: -> '([^']+)')?/g;
const PYTHON_NOT_PERMITTED = pythonRefusal(1, 'Operation not permitted');

/**
 * The full paths a server's error text says it could not write because its sandbox keeps them read-only: EROFS
 * from bubblewrap's read-only mounts (Linux), EPERM from sandbox-exec's profile (macOS, where nothing else a
 * sandboxed server writes under a person's folders is refused with EPERM).
 */
export function refusedWritePaths(errorText: string, platform: NodeJS.Platform = process.platform): string[] {
  const paths: string[] = [];
  const node = platform === 'darwin' ? [NODE_READ_ONLY, NODE_NOT_PERMITTED] : [NODE_READ_ONLY];
  const python = platform === 'darwin' ? [PYTHON_READ_ONLY, PYTHON_NOT_PERMITTED] : [PYTHON_READ_ONLY];
  for (const pattern of node) for (const match of errorText.matchAll(pattern)) paths.push(...[match[1], match[2]].filter((p): p is string => p !== undefined));
  for (const pattern of python) {
    for (const match of errorText.matchAll(pattern)) paths.push(...[match[1], match[2]].filter((p): p is string => p !== undefined).map(fromPythonRepr));
  }
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

/**
 * The folders the writes an error text says were refused needed, once each: of the paths at or inside one of
 * `named`, and of a named file's own temporary twin beside it (`report.md.5f3a….tmp`: server-filesystem, as many
 * tools, writes a file whole by writing that, then renaming it over the file). The twin's folder is the one a write
 * to the named file needs anyway, so a server's words widen nothing.
 */
export function refusedWriteFolders(errorText: string, named: readonly string[], platform: NodeJS.Platform = process.platform): string[] {
  const asked = named.map((path) => resolve(path));
  const refused = refusedWritePaths(errorText, platform).filter((path) => asked.some((root) => isInside(path, root, false) || twinOf(path, root)));
  return [...new Set(refused.map(folderOfWrite))];
}

/** Whether `path` is `file`'s temporary twin beside it (`report.md.5f3a….tmp`), written whole and renamed over it. */
export function twinOf(path: string, file: string): boolean {
  return dirname(path) === dirname(file) && basename(path).startsWith(`${basename(file)}.`);
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
