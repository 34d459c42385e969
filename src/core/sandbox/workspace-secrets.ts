import { opendir } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders not looked into: what they hold is installed, generated or version control's own, and large. */
const SKIPPED = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache']);
/** How far the look at start goes: deep enough for a project's own files, bounded for a workspace that is a whole disk. */
export const SECRET_SEARCH_LIMITS = { depth: 8, entries: 20_000, found: 500 };
/**
 * The longest the look holds the main process before letting other work run (the window drawing, the API
 * answering): matching each entry against the policy's globs is the look's own cost, the listing is the OS's.
 */
const SLICE_MS = 8;

export interface WorkspaceSecretFiles {
  /** The secret files found (absolute paths), and secret folders (`.aws/`) as one entry. */
  paths: string[];
  /** false: the look stopped at a limit, so files deeper or later in the listing were not seen. */
  complete: boolean;
}

/** Lets the event loop run what waits (timers, I/O) before the look goes on. */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The workspace's secret files, as `isSecret` (the policy's `deny.secrets`) calls them, found at a server's start so
 * its sandbox can hide each one by path: bubblewrap takes only paths that exist, and the policy's globs are matched by
 * the policy's own matcher rather than the sandbox's. Breadth first, bounded, not following links to folders, not
 * into node_modules or .git. A file made after the start is not hidden from that server until it restarts.
 * Asynchronous, in slices of `SLICE_MS`: at the app's start it ran in one piece on the main process and held
 * everything else up to a second or two in a workspace of 20,000 entries. The server's start waits for it (mcp-sandbox.ts).
 */
export async function findWorkspaceSecrets(workspace: string, isSecret: (path: string) => boolean, limits = SECRET_SEARCH_LIMITS): Promise<WorkspaceSecretFiles> {
  const paths: string[] = [];
  let seen = 0;
  let complete = true;
  let queue: string[] = [workspace];
  let sliceStart = performance.now();
  for (let depth = 0; queue.length > 0; depth++) {
    const next: string[] = [];
    for (const folder of queue) {
      try {
        // Leaving the loop early (a limit) closes the folder.
        for await (const entry of await opendir(folder, { bufferSize: 256 })) {
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
          if (performance.now() - sliceStart > SLICE_MS) {
            await yieldToLoop();
            sliceStart = performance.now();
          }
        }
      } catch (error) {
        // A folder unreadable, or gone while it was listed: what it holds cannot be read by a server either. Any other
        // failure (the policy's matcher) fails the look, and so the server's start: nothing is hidden on a guess.
        if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
      }
    }
    queue = next;
  }
  return { paths, complete };
}

/**
 * How long one look serves other servers starting with the same policy, once it is done: mcp.json's servers start
 * together, within milliseconds; a restart the person asks for comes later and looks afresh.
 */
export const SHARED_LOOK_MS = 500;

/**
 * `findWorkspaceSecrets`, shared by servers that start while it runs or within a moment of its end under the same
 * policy: each waits for the one look (a server never starts before its hide list is known).
 */
export function sharedWorkspaceSecrets(now: () => number = Date.now): (workspace: string, isSecret: (path: string) => boolean) => Promise<WorkspaceSecretFiles> {
  let last: { workspace: string; isSecret: (path: string) => boolean; endedAt: number | null; found: Promise<WorkspaceSecretFiles> } | null = null;
  return (workspace, isSecret) => {
    const fresh = last !== null && (last.endedAt === null || now() - last.endedAt < SHARED_LOOK_MS);
    if (last && fresh && last.workspace === workspace && last.isSecret === isSecret) return last.found;
    const look: NonNullable<typeof last> = { workspace, isSecret, endedAt: null, found: findWorkspaceSecrets(workspace, isSecret) };
    void look.found.then(() => (look.endedAt = now()));
    last = look;
    return look.found;
  };
}
