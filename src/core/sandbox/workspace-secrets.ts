import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Folders not looked into: what they hold is installed, generated or version control's own, and large. */
const SKIPPED = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache']);
/** How far the look at start goes: deep enough for a project's own files, bounded for a workspace that is a whole disk. */
export const SECRET_SEARCH_LIMITS = { depth: 8, entries: 20_000, found: 500 };

export interface WorkspaceSecretFiles {
  /** The secret files found (absolute paths), and secret folders (`.aws/`) as one entry. */
  paths: string[];
  /** false: the look stopped at a limit, so files deeper or later in the listing were not seen. */
  complete: boolean;
}

/**
 * The workspace's secret files, as `isSecret` (the policy's `deny.secrets`) calls them, found at a server's start so
 * its sandbox can hide each one by path: bubblewrap takes only paths that exist, and the policy's globs are matched by
 * the policy's own matcher rather than the sandbox's. Breadth first, bounded, not following links to folders, not
 * into node_modules or .git. A file made after the start is not hidden from that server until it restarts.
 */
export function findWorkspaceSecrets(workspace: string, isSecret: (path: string) => boolean, limits = SECRET_SEARCH_LIMITS): WorkspaceSecretFiles {
  const paths: string[] = [];
  let seen = 0;
  let complete = true;
  let queue: string[] = [workspace];
  for (let depth = 0; queue.length > 0; depth++) {
    const next: string[] = [];
    for (const folder of queue) {
      let entries;
      try {
        entries = readdirSync(folder, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (++seen > limits.entries) return { paths, complete: false };
        const path = join(folder, entry.name);
        if (entry.isDirectory()) {
          if (SKIPPED.has(entry.name)) continue;
          if (isSecret(path)) paths.push(path);
          else if (depth + 1 < limits.depth) next.push(path);
          else complete = false;
        } else if (isSecret(path)) {
          paths.push(path);
        }
        if (paths.length >= limits.found) return { paths, complete: false };
      }
    }
    queue = next;
  }
  return { paths, complete };
}

/**
 * How long one look serves other servers starting with the same policy: mcp.json's servers start together, within
 * milliseconds; a restart the person asks for comes later and looks afresh.
 */
export const SHARED_LOOK_MS = 500;

/**
 * `findWorkspaceSecrets`, shared by servers that start within a moment of each other under the same policy: the look
 * runs on the main process and costs up to a second or two in a workspace of 20,000 entries.
 */
export function sharedWorkspaceSecrets(now: () => number = Date.now): (workspace: string, isSecret: (path: string) => boolean) => WorkspaceSecretFiles {
  let last: { workspace: string; isSecret: (path: string) => boolean; at: number; found: WorkspaceSecretFiles } | null = null;
  return (workspace, isSecret) => {
    if (last && last.workspace === workspace && last.isSecret === isSecret && now() - last.at < SHARED_LOOK_MS) return last.found;
    last = { workspace, isSecret, at: now(), found: findWorkspaceSecrets(workspace, isSecret) };
    return last.found;
  };
}
