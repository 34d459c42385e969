import { homedir } from 'node:os';
import { resolve } from 'node:path';

/**
 * A path from mcp.json as a shell reads it: `~` and `~/…` are in the home folder (Claude Desktop's and Claude Code's
 * configs write them so). Anything else is returned as it is: another user's home (`~name` in a path field, `~name/…`
 * in `env`) is refused where mcp.json is read (`otherUsersHome`), so it never reaches a server or the sandbox as a
 * folder named "~name". A bare `~word` in `env` is passed on as written (a word or a password, as likely as a path).
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

/**
 * The user whose home folder `path` names, as a shell reads `~name` and `~name/…` (`~` and `~/…` are one's own), or
 * null. Not expanded from the user database: a name meant as a folder in the workspace (`~www`) would become a system
 * account's home (/var/www), so mcp.json asks for the full path instead.
 */
export function otherUsersHome(path: string): string | null {
  return /^~([A-Za-z_][\w.-]*)(?:\/|$)/.exec(path)?.[1] ?? null;
}
