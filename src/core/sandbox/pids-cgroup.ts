import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Default cap on processes per MCP server. Threads count against pids.max too: a plain Node server under bubblewrap
 * already uses ~16, npx-launched or Go servers more, so this leaves room for real servers and still stops a fork bomb.
 */
export const DEFAULT_MAX_PROCESSES = 128;

/**
 * A per-server pids cgroup: caps how many processes a server and everything it spawns may have at once, which
 * contains a fork bomb even for root (RLIMIT_NPROC does not bind root). The server's launcher joins the cgroup
 * before it execs, so no code of the server runs outside it; release() kills what is left and removes the cgroup.
 */
export interface ProcessCountLimit {
  kind: 'cgroup-v2' | 'cgroup-v1';
  /** The cgroup's directory. */
  path: string;
  max: number;
  /** The command prefixed so the process joins the cgroup, then execs the command. */
  wrap(command: string, args: string[]): { command: string; args: string[] };
  /** Kills any process still in the cgroup and removes it; safe to call more than once. */
  release(): Promise<void>;
}

interface Mount {
  point: string;
  type: string;
  options: string;
}

function mounts(): Mount[] {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => {
        const [left = '', right = ''] = line.split(' - ');
        const [type = '', , options = ''] = right.split(' ');
        return { point: left.split(' ')[4] ?? '', type, options };
      })
      .filter((m) => m.type === 'cgroup' || m.type === 'cgroup2');
  } catch {
    return [];
  }
}

/** This process' cgroup path in the v2 hierarchy ("0::") or in the v1 hierarchy that has `controller`. */
function ownCgroup(match: (controllers: string) => boolean): string | null {
  try {
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const [id, controllers = '', ...path] = line.split(':');
      if (id !== undefined && match(controllers)) return path.join(':') || '/';
    }
  } catch {
    // not Linux
  }
  return null;
}

/** A directory under which a pids cgroup can be created, v2 first (today's desktops), then v1. */
function candidateParents(): Array<{ kind: ProcessCountLimit['kind']; dir: string }> {
  const found: Array<{ kind: ProcessCountLimit['kind']; dir: string }> = [];
  const all = mounts();
  const v2 = all.find((m) => m.type === 'cgroup2');
  const v2Path = ownCgroup((c) => c === '');
  if (v2 && v2Path) {
    const dir = join(v2.point, v2Path);
    // Only a cgroup whose parent enables `pids` for its children can limit them; try to enable it (works in an
    // empty delegated subtree or at the root, fails harmlessly where processes live).
    try {
      if (!readFileSync(join(dir, 'cgroup.subtree_control'), 'utf8').includes('pids')) writeFileSync(join(dir, 'cgroup.subtree_control'), '+pids');
    } catch {
      // not allowed here
    }
    found.push({ kind: 'cgroup-v2', dir: join(dir, 'portcullis') });
  }
  const v1 = all.find((m) => m.type === 'cgroup' && m.options.split(',').includes('pids'));
  const v1Path = ownCgroup((c) => c.split(',').includes('pids'));
  if (v1 && v1Path) found.push({ kind: 'cgroup-v1', dir: join(v1.point, v1Path, 'portcullis') });
  return found;
}

function tryCreate(kind: ProcessCountLimit['kind'], parent: string, id: string, max: number): ProcessCountLimit | null {
  const path = join(parent, id);
  try {
    if (kind === 'cgroup-v2' && !existsSync(parent)) {
      mkdirSync(parent);
      try {
        writeFileSync(join(parent, 'cgroup.subtree_control'), '+pids');
      } catch (error) {
        // `pids` is not offered here (the usual case in a desktop's app scope, whose own processes keep the
        // kernel from enabling it below them): leave nothing behind.
        rmdirSync(parent);
        throw error;
      }
    }
    mkdirSync(path, { recursive: true });
  } catch {
    return null;
  }
  try {
    writeFileSync(join(path, 'pids.max'), String(max));
    // In v2 the new cgroup must be a place processes may join (pids.max exists only when the controller is on).
  } catch {
    try {
      rmdirSync(path);
    } catch {
      // leave it; it is empty
    }
    return null;
  }
  const procs = join(path, 'cgroup.procs');
  let released = false;
  return {
    kind,
    path,
    max,
    wrap: (command, args) => ({ command: '/bin/sh', args: ['-c', 'echo $$ > "$0" && exec "$@"', procs, command, ...args] }),
    release: async () => {
      if (released) return;
      released = true;
      await emptyAndRemove(path);
    },
  };
}

/** Kills every process in the cgroup (new ones cannot outrun it: the cap stays), then removes the directory. */
async function emptyAndRemove(path: string): Promise<void> {
  const kill = join(path, 'cgroup.kill');
  for (let round = 0; round < 100; round++) {
    let pids: number[];
    try {
      pids = readFileSync(join(path, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      return; // already gone
    }
    if (pids.length === 0) {
      try {
        rmdirSync(path);
        return;
      } catch {
        // a process is still leaving; try again
      }
    } else if (existsSync(kill)) {
      try {
        writeFileSync(kill, '1');
      } catch {
        // fall through to kill one by one
      }
    }
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Past this age an empty per-server cgroup is no one's: a launch joins its new cgroup within milliseconds. */
const STALE_AFTER_MS = 60_000;
const swept = new Set<string>();

/**
 * Removes the empty per-server cgroups under `parent` older than `olderThanMs`: a run that was killed could not
 * release its servers' cgroups, and the kernel keeps them until someone does. The kernel refuses to remove a
 * cgroup that still has processes, so a live server's cgroup stays whatever its age; the age spares one that
 * another runtime has just made and not yet joined. Returns how many were removed.
 */
export function removeStaleCgroups(parent: string, olderThanMs = STALE_AFTER_MS, now = Date.now()): number {
  let removed = 0;
  let entries: string[];
  try {
    entries = readdirSync(parent, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return 0; // no such parent yet
  }
  for (const name of entries) {
    const path = join(parent, name);
    try {
      if (now - statSync(path).mtimeMs < olderThanMs) continue;
      if (readFileSync(join(path, 'cgroup.procs'), 'utf8').trim() !== '') continue;
      rmdirSync(path);
      removed++;
    } catch {
      // joined or removed meanwhile, or not a cgroup of ours: leave it
    }
  }
  return removed;
}

/** A per-server pids cgroup capped at `max`, or null where no cgroup is writable. */
export function createProcessCountLimit(id: string, max: number): ProcessCountLimit | null {
  if (process.platform !== 'linux') return null;
  for (const { kind, dir } of candidateParents()) {
    // Once per parent and process: what an earlier, killed run left behind.
    if (!swept.has(dir)) {
      swept.add(dir);
      removeStaleCgroups(dir);
    }
    const limit = tryCreate(kind, dir, id, max);
    if (limit) return limit;
  }
  return null;
}

/** Whether a pids cgroup can be created here (tests skip the fork-bomb check only where not, and only as root). */
export function processCountLimitAvailable(): boolean {
  const probe = createProcessCountLimit(`probe-${process.pid}`, 1);
  if (!probe) return false;
  void probe.release();
  return true;
}

/** How many processes this user runs now (RLIMIT_NPROC counts them all, so a per-server cap must add to it). */
export function userProcessCount(uid: number): number {
  let count = 0;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const status = readFileSync(join('/proc', entry, 'status'), 'utf8');
        const real = /^Uid:\s+(\d+)/m.exec(status)?.[1];
        if (real !== undefined && Number(real) === uid) count += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
      } catch {
        // exited meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return count;
}
