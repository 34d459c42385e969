import { lstatSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A Portcullis killed outright (SIGKILL, a crash) runs no exit handler: its stdio servers' process groups
 * (`process-group.ts`) are not ended, and what a server started in the background runs on, as may a server that
 * ignores its stdin closing. So each group is recorded as it starts (a file named by its id, saying which Portcullis
 * started it), its record removed once it ended, and a Portcullis that starts ends the groups whose Portcullis no
 * longer runs. Linux only: it reads /proc.
 *
 * Against a reused number: a process is ended only when, read from /proc just before each signal, it is in the
 * recorded group, is this user's, and its environment names the dead Portcullis in `GROUP_OWNER_VARIABLE` (set on the
 * server, inherited by what it starts: an unrelated process that took the number cannot carry it). A process that
 * left the group (setsid) is not touched, nor one whose environment its starter replaced.
 */
export const GROUP_OWNER_VARIABLE = 'PORTCULLIS_MCP_OWNER';

/** How long what was told to stop (SIGTERM) has before SIGKILL. */
const GRACE_MS = 1_000;

/** This Portcullis, as its groups' records and its servers' environment name it: its pid and when it started; null off Linux. */
export function ownerMark(): string | null {
  if (process.platform !== 'linux') return null;
  if (mark === undefined) {
    const stat = procStat(process.pid);
    mark = stat ? `${process.pid}:${stat.started}` : null;
  }
  return mark;
}
let mark: string | null | undefined;

/** The folder of group records: this user's, in the temp folder; null when it is not safely ours (made by another user, a link). */
export function recordFolder(base = tmpdir()): string | null {
  if (typeof process.getuid !== 'function') return null;
  const folder = join(base, `portcullis-mcp-groups-${process.getuid()}`);
  try {
    mkdirSync(folder, { mode: 0o700 });
  } catch {
    // there already (or not makeable: checked below)
  }
  try {
    const stat = lstatSync(folder);
    return stat.isDirectory() && stat.uid === process.getuid() && (stat.mode & 0o077) === 0 ? folder : null;
  } catch {
    return null;
  }
}

/** Records group `pgid`, started by this Portcullis (`owner`). Never throws: without a record it is just not reaped later. */
export function recordGroup(pgid: number, owner: string, folder = recordFolder()): void {
  if (folder === null) return;
  try {
    writeFileSync(join(folder, String(pgid)), owner, { mode: 0o600 });
  } catch {
    // not recorded
  }
}

/** Removes group `pgid`'s record: it ended. */
export function forgetGroup(pgid: number, folder = recordFolder()): void {
  if (folder === null) return;
  try {
    unlinkSync(join(folder, String(pgid)));
  } catch {
    // not recorded, or removed already
  }
}

interface ProcStat {
  pgid: string;
  started: string;
  zombie: boolean;
}

/** /proc/PID/stat's process group and start time (clock ticks since boot); null when it is not there. */
function procStat(pid: number | string): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Its name (field 2) is in parentheses and may hold anything, spaces and ")" too: the fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { zombie: fields[0] === 'Z', pgid: fields[2] ?? '', started: fields[19] ?? '' };
  } catch {
    return null;
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // gone meanwhile, or not ours to read
  }
}

/** Whether the Portcullis `owner` names still runs: that pid, started at that time. */
function ownerRuns(owner: string): boolean {
  const [pid, started] = owner.split(':');
  return pid !== undefined && /^\d+$/.test(pid) && procStat(pid)?.started === started;
}

interface Member {
  pid: string;
  started: string;
}

/** Whether `pid` is, as read now, a live process of this user in group `pgid` whose environment names `owner`. */
function memberOf(pid: string, pgid: string, owner: string, uid: string): ProcStat | null {
  const stat = procStat(pid);
  if (!stat || stat.zombie || stat.pgid !== pgid) return null;
  if (/^Uid:\s*(\d+)/m.exec(readOrNull(`/proc/${pid}/status`) ?? '')?.[1] !== uid) return null;
  const environ = readOrNull(`/proc/${pid}/environ`);
  return environ?.split('\0').includes(`${GROUP_OWNER_VARIABLE}=${owner}`) ? stat : null;
}

/** Signals `member` if it is still that process (same start time) and still a member. */
function signalMember(member: Member, pgid: string, owner: string, uid: string, signal: NodeJS.Signals): boolean {
  if (memberOf(member.pid, pgid, owner, uid)?.started !== member.started) return false;
  try {
    process.kill(Number(member.pid), signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ends the recorded groups whose Portcullis no longer runs (see above): SIGTERM, then SIGKILL a second later to those
 * still there; their records are removed. Resolves to the pids told to stop; never rejects.
 */
export async function reapOrphanedGroups(folder = recordFolder()): Promise<number[]> {
  if (process.platform !== 'linux' || folder === null || typeof process.getuid !== 'function') return [];
  const uid = String(process.getuid());
  let records: string[];
  let pids: string[];
  try {
    records = readdirSync(folder).filter((name) => /^\d+$/.test(name));
    pids = records.length === 0 ? [] : readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const told: Array<{ member: Member; pgid: string; owner: string }> = [];
  for (const pgid of records) {
    const owner = readOrNull(join(folder, pgid))?.trim() ?? '';
    if (!/^\d+:\d+$/.test(owner) || ownerRuns(owner)) continue;
    for (const pid of pids) {
      const stat = memberOf(pid, pgid, owner, uid);
      const member = stat && { pid, started: stat.started };
      if (member && signalMember(member, pgid, owner, uid, 'SIGTERM')) told.push({ member, pgid, owner });
    }
    forgetGroup(Number(pgid), folder);
  }
  if (told.length === 0) return [];
  await new Promise((resolve) => setTimeout(resolve, GRACE_MS).unref());
  for (const { member, pgid, owner } of told) signalMember(member, pgid, owner, uid, 'SIGKILL');
  return told.map(({ member }) => Number(member.pid));
}
