import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A path argument seen two ways: as written (lexically resolved) and as the file system would follow it. */
export interface ResolvedPath {
  lexical: string;
  real: string;
}

/**
 * Resolves `..` against the workspace, then follows symlinks on the longest existing prefix (a dangling or
 * not-yet-created tail keeps its lexical form), so a link inside the workspace that points out is seen as out.
 */
export function resolvePathArgument(value: string, workspace: string): ResolvedPath {
  const lexical = resolve(workspace, value);
  return { lexical, real: realPrefix(lexical) };
}

export function realPrefix(path: string, depth = 0): string {
  // Walk up with lstat (no exceptions: they cost more than the syscalls) to the longest existing prefix.
  const tail: string[] = [];
  let current = path;
  for (;;) {
    const stat = lstatSync(current, { throwIfNoEntry: false });
    if (stat) {
      if (stat.isSymbolicLink() && depth < 16) {
        let target: string;
        try {
          target = realpathSync.native(current);
        } catch {
          const dangling = danglingTarget(current);
          if (dangling !== null) return realPrefix(join(dangling, ...tail.reverse()), depth + 1);
          return path;
        }
        return tail.length === 0 ? target : join(target, ...tail.reverse());
      }
      try {
        const real = realpathSync.native(current);
        return tail.length === 0 ? real : join(real, ...tail.reverse());
      } catch {
        return path;
      }
    }
    const parent = dirname(current);
    if (parent === current) return path;
    tail.push(basename(current));
    current = parent;
  }
}

/** Whether this platform's file systems ignore case by default (macOS, Windows). */
export const caseInsensitiveFileSystem = process.platform === 'darwin' || process.platform === 'win32';

/** True when `child` is `root` or inside it. `ignoreCase` for case-insensitive file systems. */
export function isInside(child: string, root: string, ignoreCase: boolean): boolean {
  const a = ignoreCase ? child.toLowerCase() : child;
  const b = ignoreCase ? root.toLowerCase() : root;
  const rel = relative(b, a);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/** Where a dangling symlink points (it may be created later and then be followed), or null if not a link. */
function danglingTarget(path: string): string | null {
  try {
    if (!lstatSync(path).isSymbolicLink()) return null;
    return resolve(dirname(path), readlinkSync(path));
  } catch {
    return null;
  }
}
