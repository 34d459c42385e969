import { isAbsolute, resolve } from 'node:path';
import type { SandboxGrants } from '../../shared/domain/tool-catalog';
import { isInside } from '../policy/matchers/resolve-path';
import { twinOf } from '../sandbox/refused-write';
import type { EnvironmentPath } from './environment-paths';
import { grantAdvice, keptWrite } from './sandbox-write-hint';

/** Node's and Python's "no such file" with its path: `ENOENT: no such file or directory, open '/x'`, `[Errno 2] …: '/x'`. */
const NOT_THERE = [/\bENOENT: no such file or directory, \w+ '([^']+)'/g, /\[Errno 2\] No such file or directory: '([^']+)'/g];

/**
 * A write to the data file its env names, in a folder of the home folder its sandbox hides (not granted to read):
 * there the write meets "no such file" (the folder is not there inside the sandbox), not a read-only file system, and
 * reads as if the folder were missing. Said as the sandbox's doing, with the variable and how to grant the folder
 * (`offered`: the folders the Tools & servers page offers). Null for any other error, and where the home is not private.
 */
export function hiddenFolderWriteHint(server: string, errorText: string, grants: SandboxGrants | null, environment: readonly EnvironmentPath[], offered: readonly string[]): string | null {
  if (!grants || grants.home !== 'private') return null;
  const missing = NOT_THERE.flatMap((pattern) => [...errorText.matchAll(pattern)].map((match) => match[1]!)).filter((path) => isAbsolute(path)).map((path) => resolve(path));
  const readable = (path: string) => grants.readable.some((g) => isInside(path, g.path, false));
  const named = environment.find((e) => missing.some((path) => (isInside(path, e.path, false) || twinOf(path, e.path)) && !readable(path)));
  if (!named) return null;
  return `${keptWrite(server, grants)} It tried to write ${named.path}, which its env's ${named.variable} names, in a folder of your home folder its sandbox hides from it. ${grantAdvice(server, offered)}`;
}
