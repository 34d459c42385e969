import { resolve, sep } from 'node:path';
import type { SandboxGrants } from '../../shared/domain/tool-catalog';
import { isInside } from '../policy/matchers/resolve-path';
import { refusedWritePaths, twinOf } from '../sandbox/refused-write';
import type { EnvironmentPath } from './environment-paths';

/** What a write the sandbox kept read-only looks like in a Node, Python or Rust server's error text. */
const READ_ONLY_FILE_SYSTEM = /\bEROFS\b|read-only file system/i;

/**
 * A sandboxed server's tool error that is its sandbox's doing (a write outside `allowWrite` meets a read-only file
 * system) says so and where to grant it: bare, "EROFS: read-only file system" reads like a fault of the disk or of
 * the server. `offered`: the folders the Tools & servers page now offers to let it write; `named`: the paths the
 * call's arguments named (a write there is the caller's choice, not the server's own data file); `environment`: the
 * paths its env names (a write refused there is named with its variable). Null for any other error, and for a
 * server that runs outside the sandbox.
 */
export function sandboxWriteHint(
  server: string,
  errorText: string,
  grants: SandboxGrants | null,
  offered: readonly string[] = [],
  named: readonly string[] = [],
  environment: readonly EnvironmentPath[] = [],
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (!grants || !READ_ONLY_FILE_SYSTEM.test(errorText)) return null;
  const refused = refusedWritePaths(errorText, platform);
  // Its own data file, as its env names it: said by name, so the person knows which setting it was.
  const fromEnvironment = environment.find((e) => refused.some((path) => isInside(path, e.path, false) || twinOf(path, e.path)));
  const which = fromEnvironment ? ` It tried to write ${fromEnvironment.path}, which its env's ${fromEnvironment.variable} names.` : '';
  const said = `${keptWrite(server, grants)}${which}`;
  const asked = new Set(named.map((path) => resolve(path)));
  const ownPackage = refused.find((path) => !asked.has(path) && inPackageFolder(path, grants.packageCache));
  if (ownPackage) return `${said} ${ownPackageAdvice(server, ownPackage, grants)}`;
  return `${said} ${grantAdvice(server, offered)}`;
}

/** How a refused write's hint starts: the sandbox did it, and what the server may write. */
export function keptWrite(server: string, grants: SandboxGrants): string {
  const writable = grants.writable.length > 0 ? `only ${grants.writable.join(', ')}` : 'nothing of yours';
  return `Portcullis' sandbox kept this write from happening: ${server} may write ${writable}.`;
}

/** How to let it write: the page's button for each folder offered there, else mcp.json's `allowWrite`. */
export function grantAdvice(server: string, offered: readonly string[]): string {
  const inMcpJson = `add the folder to "sandbox": { "allowWrite": [...] } of ${server} in mcp.json`;
  const how = offered.length > 0
    ? `${offered.map((folder) => `"Allow ${server} to write ${folder}"`).join(' or ')} on the Tools & servers page lets it, or ${inMcpJson}`
    : `To let it write there, ${inMcpJson}`;
  return `${how}.`;
}

/** Inside an installed package (a `node_modules` folder) or the cache its launcher fills (npx's `_npx`, `packageCache`). */
function inPackageFolder(path: string, packageCache: string | null): boolean {
  const parts = path.split(sep);
  return parts.includes('node_modules') || parts.includes('_npx') || (packageCache !== null && isInside(path, packageCache, false));
}

/**
 * A server writing its data beside its own code (server-memory's default memory.jsonl): granting its package folder
 * would let it rewrite its code, and an update or a cleared cache takes the data with it. Pointing it at a data
 * file in a folder of the person's is the fix; server-memory's setting is named.
 */
function ownPackageAdvice(server: string, path: string, grants: SandboxGrants): string {
  const folder = grants.writable[0] ?? 'a folder you let it write';
  // With no folder of its own yet, an example path rather than words inside the quotes a person would paste as is;
  // the row then offers to let it write the folder the variable names.
  const memoryFile = grants.writable[0] ? `${folder}${sep}memory.jsonl` : '~/Documents/memory.jsonl';
  const offered = grants.writable[0] ? '' : ` (or a file in another folder of yours), then allow ${server} to write that folder on its row`;
  const setting = path.includes('server-memory')
    ? `set "env": { "MEMORY_FILE_PATH": "${memoryFile}" } of ${server} in mcp.json${offered}`
    : `set the data file its documentation names (usually in "env") of ${server} in mcp.json to a file in ${folder}`;
  return `It tried to write ${path}, inside its own package: a server that writes into its own package should be pointed at a data file elsewhere, not granted its package folder (an update or a cleared cache would take the data with it). To keep its data, ${setting}.`;
}
