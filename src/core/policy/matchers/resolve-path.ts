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
  const tail: string[] = [];
  let current = path;
  for (;;) {
    try {
      return tail.length === 0 ? realpathSync.native(current) : join(realpathSync.native(current), ...tail.reverse());
    } catch {
      const link = depth < 16 ? danglingTarget(current) : null;
      if (link !== null) return realPrefix(join(link, ...tail.reverse()), depth + 1);
      const parent = dirname(current);
      if (parent === current) return path;
      tail.push(basename(current));
      current = parent;
    }
  }
}

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
