import { closeSync, existsSync, fstatSync, readdirSync, readFileSync } from 'node:fs';
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

/** O_CLOEXEC as /proc/<pid>/fdinfo's `flags` (octal) shows it. */
const O_CLOEXEC = 0o2000000;

interface OpenFile {
  fd: number;
  dev: bigint;
  ino: bigint;
}

/** Whether `fd` is open here without close-on-exec (a child started now is handed it), by /proc/self/fdinfo. */
function handedOnNow(fd: number): boolean {
  try {
    const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
    return flags !== undefined && (parseInt(flags, 8) & O_CLOEXEC) === 0;
  } catch {
    return false; // closed meanwhile (the listing's own fd among them)
  }
}

/** The file `fd` is open on here, or null when it is not open. */
function openFile(fd: number): OpenFile | null {
  try {
    const { dev, ino } = fstatSync(fd, { bigint: true });
    return { fd, dev, ino };
  } catch {
    return null;
  }
}

/**
 * The fds open here without close-on-exec, listed once, at the first worker start: reading /proc/self/fdinfo for every
 * fd took ~0.7 ms of each start with ~95 fds open. Node, libuv and SQLite open theirs close-on-exec, so these are what
 * Portcullis inherited, all open from its start: a later start has nothing new to find. A library that opened an fd
 * without close-on-exec after that would have it handed on; tool-worker.inherited-fds.test.ts fails if a running
 * runtime (its database, span writer and workers) holds one this listing lacks.
 */
let inheritedHere: readonly OpenFile[] | undefined;

/**
 * The fds above `above` a child started now is handed without asking: those open here and not close-on-exec, as
 * `fd:device:inode` (what the child checks before closing one). Node opens its own close-on-exec, so these are what
 * Portcullis inherited above 15 (Node marks 0..15 close-on-exec at its start). Each listed fd is checked again, so one
 * closed since, or its number reused by a file of Portcullis' own, is not named. Linux only (its /proc); none elsewhere.
 */
export function handedOnFds(above: number): string[] {
  if (process.platform !== 'linux') return [];
  inheritedHere ??= readdirSync('/proc/self/fd')
    .map(Number)
    .filter((fd) => fd > 2 && handedOnNow(fd))
    .flatMap((fd) => openFile(fd) ?? []);
  return inheritedHere.flatMap(({ fd, dev, ino }) => {
    const now = fd > above ? openFile(fd) : null;
    return now && now.dev === dev && now.ino === ino && handedOnNow(fd) ? [`${fd}:${dev}:${ino}`] : [];
  });
}

/**
 * Closes in this process each fd `handedOnFds` named in its parent, where it is still that file: a number its parent
 * closed before starting it may since be one of Node's own here, which is left open.
 */
export function closeHandedOnFds(named: readonly string[]): void {
  for (const entry of named) {
    const [fd, dev, ino] = entry.split(':').map((part) => (/^\d+$/.test(part) ? BigInt(part) : null));
    if (fd == null || dev == null || ino == null) continue;
    try {
      const held = fstatSync(Number(fd), { bigint: true });
      if (held.dev === dev && held.ino === ino) closeSync(Number(fd));
    } catch {
      // not open here
    }
  }
}
