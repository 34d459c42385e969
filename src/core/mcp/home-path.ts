import { homedir } from 'node:os';
import { resolve } from 'node:path';

/**
 * A path from mcp.json as a shell reads it: `~` and `~/…` are in the home folder (Claude Desktop's and Claude Code's
 * configs write them so). Anything else is returned as it is; `~name` (another user's home) is not guessed at.
 */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? resolve(homedir(), path.slice(2)) : path;
}
