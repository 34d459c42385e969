import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * Closes every fd above stderr, then runs the command: bash, since dash cannot name an fd above 9 in a redirection.
 * The fds are listed by the shell itself, so its own (the listing's) is gone by the time the loop closes it.
 */
const CLOSE_ABOVE_STDERR = 'for fd in /proc/self/fd/*; do fd=${fd##*/}; case $fd in 0|1|2) ;; *) eval "exec $fd>&-" ;; esac; done; exec "$@"';

/** bash as sandbox-runtime finds it (on PATH; it runs every sandboxed command through it), or null. Never a relative PATH entry's (`.`). */
function bashPath(): string | null {
  const folders = (process.env['PATH'] ?? '').split(delimiter).filter((folder) => isAbsolute(folder));
  return [...folders, '/usr/bin', '/bin'].map((folder) => join(folder, 'bash')).find((path) => existsSync(path)) ?? null;
}

/**
 * `command` started with only stdin, stdout and stderr open. Node opens its own files close-on-exec, but what
 * Portcullis inherited without it (a CI runner's or supervisor's pipe or socket passed to `portcullis serve`) libuv
 * and bubblewrap hand on to every child: a sandboxed server could read or write its grandparent's pipes. The fds are
 * closed before bubblewrap starts, so nothing in the sandbox (bubblewrap's own init, sandbox-runtime's shells and
 * relays, the server) holds them; sandbox-runtime's `--args` file is opened again by path after this (through
 * `/proc/<Portcullis' pid>/fd/N`), so it still reaches bubblewrap. Linux only (its /proc); elsewhere unchanged.
 */
export function withoutInheritedFds(launch: { command: string; args: string[] }): { command: string; args: string[] } {
  if (process.platform !== 'linux') return launch;
  const bash = bashPath();
  if (!bash) return launch;
  return { command: bash, args: ['--norc', '--noprofile', '-c', CLOSE_ABOVE_STDERR, 'portcullis-close-fds', launch.command, ...launch.args] };
}
