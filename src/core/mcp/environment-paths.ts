import { delimiter, isAbsolute, resolve } from 'node:path';
import { expandHome } from './home-path';
import { hasSecretReference } from './secret-references';
import { CERTIFICATE_VARIABLES } from './server-environment';

/** A path one of a server's `env` variables names in mcp.json (server-memory's `MEMORY_FILE_PATH`, a database file). */
export interface EnvironmentPath {
  variable: string;
  /** Absolute, `~` as the home folder (as a shell would give it). */
  path: string;
}

/**
 * Variables whose file the server only reads (settings, keys, certificates) or that say where a program is installed
 * (`JAVA_HOME`, `PYTHONHOME`, `NODE_PATH`, a `…_BIN`): named, so readable, but never said to want writing. The PATH
 * and certificate variables are read as a runtime's (mcp-sandbox.ts).
 */
const READ_ONLY_NAMES = /CONFIG|CONF$|CERT|(^|_)CA(_|$)|KEY|TOKEN|CREDENTIAL|SECRET|PASSWORD|PEM$|HOME$|(^|_)BIN$|EXECUTABLE|EXE$|LIBRARY|^(NODE_|PYTHON)PATH$|^(LD|DYLD)_/i;

/**
 * The paths a server's `env` names: each value that is one absolute path (or `~/…`). Not a list of paths (`PATH`,
 * `PYTHONPATH`), a URL, a `secret:` reference (its value is a credential, not a place), nor the PATH and CA
 * certificate variables, which the sandbox already reads as a runtime's.
 */
export function environmentPaths(env: Readonly<Record<string, string>> | undefined): EnvironmentPath[] {
  return Object.entries(env ?? {}).flatMap(([variable, value]) => {
    if (variable === 'PATH' || CERTIFICATE_VARIABLES.includes(variable) || hasSecretReference(value)) return [];
    const expanded = expandHome(value.trim());
    if (!isAbsolute(expanded) || expanded.includes(delimiter) || expanded.includes('\n')) return [];
    return [{ variable, path: resolve(expanded) }];
  });
}

/** The environment paths a server may well write (its data file or folder): not those of a read-only kind by name. */
export function writtenEnvironmentPaths(env: Readonly<Record<string, string>> | undefined): EnvironmentPath[] {
  return environmentPaths(env).filter(({ variable }) => !READ_ONLY_NAMES.test(variable));
}
