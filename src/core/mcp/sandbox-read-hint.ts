import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { SandboxGrants } from '../../shared/domain/tool-catalog';
import { isInside } from '../policy/matchers/resolve-path';
import { credentialPaths } from '../sandbox/read-denials';

/** What a file the sandbox hides looks like in a Node, Python or Rust server's error text: not there. */
const NOT_THERE = /\bENOENT\b|no such file or directory|cannot find the (file|path)/i;

/**
 * A sandboxed server's "no such file" for a path of the home folder the call named, which its sandbox hides (the home
 * folder is private to it but for what it was granted): says so and how to grant it, where the bare error reads as
 * if the file were not there. Whether it is there is not said (the model would learn what the home folder holds).
 * Null for any other error, a path it may read, a credential (never granted) and a server whose home is not private.
 */
export function sandboxReadHint(server: string, errorText: string, grants: SandboxGrants | null, named: readonly string[], home: string = homedir()): string | null {
  if (!grants || grants.home !== 'private' || !NOT_THERE.test(errorText)) return null;
  const hidden = named
    .map((path) => resolve(path))
    .find((path) => isInside(path, home, false) && path !== home && !grants.readable.some((g) => isInside(path, g.path, false)) && !credentialPaths().some((c) => isInside(path, c, false)));
  if (!hidden) return null;
  return `Portcullis' sandbox hides your home folder from ${server} but for what it was let read, so it cannot see ${hidden}. To let it read a folder there, add the folder to "sandbox": { "allowRead": [...] } of ${server} in mcp.json, or "readHome": true for all of your home folder but credentials.`;
}
