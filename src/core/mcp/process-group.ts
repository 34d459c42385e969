import { forgetGroup, ownerMark, recordGroup } from './orphaned-groups';

/**
 * A stdio server's process group: a server started in one of its own (POSIX) takes the processes it starts in the
 * background with it when it is stopped, restarted or Portcullis quits. Its sandbox ends them on Linux (bubblewrap's
 * PID namespace), but nothing did for a server run with `"sandbox": false`, nor on macOS. A process that calls setsid
 * (or setpgid) leaves the group, and so escapes this; only a cgroup would catch it.
 *
 * Windows has no process groups of this kind (and a detached process there gets a console of its own): servers start
 * as before and only their own process is stopped.
 */
export const OWN_PROCESS_GROUP = process.platform !== 'win32';

/** How long the processes left in a group have after SIGTERM before SIGKILL. */
export const GROUP_GRACE_MS = 1_000;
const POLL_MS = 50;

/** Groups whose processes may still run: any left as Portcullis exits are killed then. */
const liveGroups = new Set<number>();
let exitHooked = false;

/** Sends `signal` to every process in group `pgid`; false when none is left (or none is ours to signal). */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: none left; EPERM: what is left is not ours (a setuid program), and cannot be ended anyway
  }
}

/**
 * Remembers a server's group (its process's id, as it leads the group) so that a Portcullis that exits without
 * stopping its servers (process.exit, an uncaught error) still ends them: synchronously, so with SIGKILL.
 * A Portcullis killed outright (SIGKILL, a crash) runs no handler: the group's record lets the next one end it.
 */
export function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  // Recorded too, for a Portcullis killed outright: the next one to start ends it (`orphaned-groups.ts`).
  const owner = ownerMark();
  if (owner !== null) recordGroup(pgid, owner);
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const group of liveGroups) {
      signalGroup(group, 'SIGKILL');
      forgetGroup(group);
    }
  });
}

/**
 * Ends what is left of group `pgid` once its leader (the server's process) has ended: SIGTERM, then SIGKILL after
 * `graceMs` to any process still in it. Resolves once none is left. Called right after the leader was reaped, while
 * a process of the group still holds its number, which the kernel therefore gives no new process; once none does,
 * the signal finds no group (a new process would have to take that exact number and lead a group of its own first).
 */
export async function endGroup(pgid: number, graceMs = GROUP_GRACE_MS): Promise<void> {
  if (signalGroup(pgid, 'SIGTERM')) {
    for (let waited = 0; waited < graceMs && signalGroup(pgid, 0); waited += POLL_MS) await sleep(POLL_MS);
    if (signalGroup(pgid, 'SIGKILL')) {
      // SIGKILL cannot be refused; a moment for the kernel to take them down, within a bound.
      for (let waited = 0; waited < graceMs && signalGroup(pgid, 0); waited += POLL_MS) await sleep(POLL_MS);
    }
  }
  liveGroups.delete(pgid);
  if (ownerMark() !== null) forgetGroup(pgid);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
