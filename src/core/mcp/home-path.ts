import { homedir } from 'node:os';
import { resolve } from 'node:path';

/**
 * A path from mcp.json as a shell reads it: `~` and `~/…` are in the home folder (Claude Desktop's and Claude Code's
 * configs write them so). Anything else is returned as it is; `~name` (another user's home) is not guessed at.
 */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? resolve(homedir(), path.slice(2)) : path;
}

/**
 * A server's `env` with each value that is a path from the home folder (`~`, `~/…`) made full, as a shell expands
 * `NAME=~/x`: servers take such a value as a path of their own (server-memory's `MEMORY_FILE_PATH` relative to its
 * code), and the sandbox grants what it names as the full path (environment-paths.ts).
 */
export function withHomeExpanded(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, expandHome(value)]));
}
