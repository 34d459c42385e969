import { lstatSync, readdirSync, readFileSync, readlinkSync, type Stats, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listeningSockets } from './listening-sockets';

/**
 * sandbox-runtime's host-side network bridge, exactly as initializeLinuxNetworkBridge starts it: socat from a Unix
 * socket it names `claude-http-<16 hex>.sock` (or claude-socks-) to its proxy's port on localhost.
 */
const BRIDGE_SOCKET_FILE = String.raw`claude-(?:http|socks)-[0-9a-f]{16}\.sock`;
const BRIDGE_LISTEN = new RegExp(String.raw`^UNIX-LISTEN:(\/[^,]*\/${BRIDGE_SOCKET_FILE}),fork,reuseaddr$`);
const BRIDGE_TARGET = /^TCP:localhost:(\d{1,5}),keepalive,keepidle=10,keepintvl=5,keepcnt=3$/;

/**
 * What an orphan is handed to when its parent dies: pid 1, or a subreaper (systemd's user manager in a desktop session,
 * a container's init). A bridge whose parent is anything else has its owner alive and is left alone.
 */
const REAPERS = new Set(['systemd', 'init', 'tini', 'dumb-init', 'catatonit']);

export interface BridgeShape {
  socketPath: string;
  port: number;
}

/** The socket and proxy port of a command line that is sandbox-runtime's bridge word for word; null for anything else. */
export function bridgeShape(argv: string[]): BridgeShape | null {
  if (argv.length !== 3 || !/(^|\/)socat$/.test(argv[0] ?? '')) return null;
  const listen = BRIDGE_LISTEN.exec(argv[1] ?? '');
  const target = BRIDGE_TARGET.exec(argv[2] ?? '');
  return listen?.[1] && target?.[1] ? { socketPath: listen[1], port: Number(target[1]) } : null;
}

function readProc(pid: number | string, file: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null; // gone meanwhile, or not ours to read
  }
}

function statusField(status: string, name: string): string | null {
  return new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(status)?.[1] ?? null;
}

function parentGone(ppid: number): boolean {
  if (ppid === 1) return true;
  return REAPERS.has((readProc(ppid, 'comm') ?? '').trim());
}

/**
 * Whether `pid` itself holds the Unix socket listening at `path` in this network namespace (/proc/net/unix and the
 * process's fds). A command line and a parent's name are anyone's to choose: a process of this user (a sandboxed
 * server's, seen in the host's /proc) could spell a live bridge's path under a parent it named `systemd`, and had that
 * live bridge's socket removed. A real socat cannot bind a path already bound, nor one of another namespace show here.
 */
function holdsSocketAt(pid: string, path: string): boolean {
  const inodes = new Set<string>();
  for (const line of (readProc('self', 'net/unix') ?? '').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[3] === '00010000' && fields.slice(7).join(' ') === path && fields[6]) inodes.add(`socket:[${fields[6]}]`); // 00010000: listening
  }
  if (inodes.size === 0) return false;
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false; // closed meanwhile
      }
    });
  } catch {
    return false;
  }
}

export interface ReapedBridge extends BridgeShape {
  pid: number;
}

/**
 * Ends the network bridges a Portcullis (or any sandbox-runtime user) that was killed or crashed left behind: a socat
 * of this user in exactly the bridge's shape, whose parent is gone and whose proxy port nothing listens on any more,
 * so it can only ever refuse, and that itself listens on the socket its command line names; each is stopped and its
 * socket file removed. A bridge with a live owner (another Portcullis, Claude Code) fails one of these and is never
 * touched. Only bridges whose socket is in `socketFolder`
 * (where this process's sandbox-runtime puts its own) are considered. Linux only; a no-op elsewhere.
 */
export function reapOrphanedBridges(socketFolder = tmpdir()): ReapedBridge[] {
  if (process.platform !== 'linux' || typeof process.getuid !== 'function') return [];
  const uid = String(process.getuid());
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  let listening: Set<number> | null = null;
  const reaped: ReapedBridge[] = [];
  for (const pid of pids) {
    const cmdline = readProc(pid, 'cmdline');
    if (!cmdline?.includes('claude-')) continue;
    const shape = bridgeShape(cmdline.replace(/\0$/, '').split('\0'));
    const status = shape && readProc(pid, 'status');
    if (!shape || dirname(shape.socketPath) !== socketFolder || !status || statusField(status, 'Uid') !== uid || !parentGone(Number(statusField(status, 'PPid')))) continue;
    listening ??= new Set(listeningSockets().map((socket) => socket.port));
    if (listening.has(shape.port) || !holdsSocketAt(pid, shape.socketPath)) continue;
    // Read again just before the signal: the pid must still be that bridge, not a process that took its number.
    if (readProc(pid, 'cmdline') !== cmdline) continue;
    try {
      process.kill(Number(pid), 'SIGTERM');
    } catch {
      continue;
    }
    removeSocket(shape.socketPath);
    reaped.push({ pid: Number(pid), ...shape });
  }
  return reaped;
}

/** A bridge socket's file name, exactly as sandbox-runtime makes it. */
const BRIDGE_SOCKET_NAME = new RegExp(`^${BRIDGE_SOCKET_FILE}$`);
/** A socket younger than this may be a bridge being started (bound, not yet listening): left for a later run. */
const STARTING_MS = 60_000;
const CONNECT_TIMEOUT_MS = 2_000;

/** What a connect to the Unix socket at `path` meets: its listener, none (the file outlived its socat), or neither. */
function probe(path: string): Promise<'listening' | 'refused' | 'unknown'> {
  return new Promise((done) => {
    const socket = connect(path);
    const finish = (answer: 'listening' | 'refused' | 'unknown') => {
      socket.destroy();
      done(answer);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => finish('unknown'));
    socket.once('connect', () => finish('listening'));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ECONNREFUSED' ? 'refused' : 'unknown'));
  });
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/**
 * Removes the bridge socket files a socat ended by SIGKILL left behind (it unlinks its socket only when it ends
 * cleanly), which reapOrphanedBridges cannot find, having no process: a file directly in `socketFolder` named exactly as
 * sandbox-runtime names them, a socket (not a symlink) of this user, over a minute old, that refuses a connect. A refusal
 * means no listener anywhere, even a bridge of another pid namespace (a container sharing /tmp) that /proc cannot show;
 * a socket that accepts, or answers anything else, is left. Linux only; resolves to the paths removed, never rejects.
 */
export async function removeStaleBridgeSockets(socketFolder = tmpdir()): Promise<string[]> {
  if (process.platform !== 'linux' || typeof process.getuid !== 'function') return [];
  const uid = process.getuid();
  let names: string[];
  try {
    names = readdirSync(socketFolder).filter((name) => BRIDGE_SOCKET_NAME.test(name));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const path = join(socketFolder, name);
    const before = lstatOrNull(path);
    if (!before?.isSocket() || before.uid !== uid || Date.now() - before.mtimeMs < STARTING_MS) continue;
    if ((await probe(path)) !== 'refused') continue;
    // The same file still: not one a new bridge bound under that name meanwhile.
    const now = lstatOrNull(path);
    if (!now?.isSocket() || now.ino !== before.ino || now.dev !== before.dev) continue;
    try {
      unlinkSync(path);
      removed.push(path);
    } catch {
      // removed by someone else meanwhile, or not ours to remove
    }
  }
  return removed;
}

/** The bridge's socket file, if it is still there and still a socket (socat removes it itself when it ends cleanly). */
function removeSocket(path: string): void {
  if (!lstatOrNull(path)?.isSocket()) return;
  try {
    unlinkSync(path);
  } catch {
    // gone meanwhile
  }
}
