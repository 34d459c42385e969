import { AppError } from '../../shared/errors';
import { hasSecretReference } from '../mcp/secret-references';

/**
 * Variables that steer the programs that start a sandbox on the host, before it confines anything: bash
 * (Portcullis' own fd-closing step and sandbox-runtime's `/bin/bash -c`, on Linux and macOS), sh (the cgroup and
 * args-file steps), the dynamic loader of each, and the PATH that finds `bwrap` (macOS: `env`, then
 * sandbox-exec). bash runs `$BASH_ENV` after expanding it, so
 * `"BASH_ENV": "$(…)"` in a server's env ran a command on the host, unsandboxed; an exported function
 * (`BASH_FUNC_exec%%`), `SHELLOPTS=xtrace` with `PS4='$(…)'`, `LD_PRELOAD` or a PATH leading to another `bwrap`
 * would do the same.
 */
const EXACT = new Set([
  'BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'BASH_XTRACEFD', 'BASH_LOADABLES_PATH', 'EXECIGNORE', 'GLOBIGNORE',
  'CDPATH', 'IFS', 'PATH', 'GCONV_PATH', 'GLIBC_TUNABLES', 'GETCONF_DIR', 'HOSTALIASES', 'LOCALDOMAIN', 'LOCPATH',
  'NLSPATH', 'NIS_PATH', 'RESOLV_HOST_CONF', 'RES_OPTIONS', 'TZDIR',
]);
const PREFIXES = ['LD_', 'DYLD_', 'BASH_FUNC_', 'MALLOC_'];

/** Whether the server's variable `name` would steer the host-side programs that start its sandbox. */
export function steersHost(name: string): boolean {
  return EXACT.has(name) || PREFIXES.some((prefix) => name.startsWith(prefix));
}

/**
 * The server's own variables that must be set inside its sandbox only, as `NAME=value` words for `env` to run the
 * server with: kept from the host-side programs, they still reach the server as written. They go on its command
 * line, which other users of the computer can read, so none may hold a secret (`secret:NAME`).
 */
export function insideOnlyAssignments(server: string, env: Readonly<Record<string, string>>): string[] {
  const names = Object.keys(env).filter(steersHost);
  const secret = names.find((name) => hasSecretReference(env[name]!));
  if (secret) {
    throw new AppError('MCP_SERVER_UNAVAILABLE', `mcp.json gives the ${server} server ${secret} from the keychain, but ${secret} is set inside its sandbox on its command line, which other users of this computer can read: write the value itself, or pass the secret under another name.`);
  }
  return names.map((name) => `${name}=${env[name]}`);
}
