import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

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

/** The folders the writes an error text says were refused needed, once each. */
export function refusedWriteFolders(errorText: string): string[] {
  return [...new Set(refusedWritePaths(errorText).map(folderOfWrite))];
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
