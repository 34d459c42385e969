import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { holdFileLock, processAlive } from './process-lock';

/** Which process runs Portcullis on a data folder, and whether this one does. */
export interface DataFolderClaim {
  /** True when no other live Portcullis process holds the folder. */
  readonly owner: boolean;
  release(): void;
}

/**
 * The first runtime on a data folder owns it. Another one started meanwhile (a `portcullis` command in a terminal
 * while the app runs) is not the owner: at its start it must not end the owner's calls and approvals under way as
 * if a crash had left them. Ownership is a lock the OS drops when its process ends: the process id alone
 * (`runtime.pid`, still written for people and scripts) said "running" for a pid the system had given to another
 * program since (after a crash and a reboot), or for a killed process not yet reaped, and the app then never
 * ended what the crash had left open.
 */
export function claimDataFolder(dataDir: string): DataFolderClaim {
  const file = join(dataDir, 'runtime.pid');
  const mine = String(process.pid);
  const held = (): string | null => {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      return null;
    }
  };
  const lock = holdFileLock(join(dataDir, 'runtime.lock'), { create: true });
  if (lock === 'held' || (lock === null && recordedOwnerIsAnother(dataDir))) return { owner: false, release: () => undefined };
  try {
    writeFileSync(file, mine);
  } catch {
    // A folder it cannot write to fails loudly elsewhere (the database); here it only means no claim.
  }
  return {
    owner: true,
    release: () => {
      if (held() === mine) {
        try {
          unlinkSync(file);
        } catch {
          // Already gone.
        }
      }
      // Last, so that the next owner's pid file is never the one removed. The lock file stays: removing it could
      // let two processes lock two different files of the same name.
      if (lock) lock.close();
    },
  };
}

/** The pid `runtime.pid` names: the owner's, while it runs (for saying which process that is). */
export function recordedOwnerPid(dataDir: string): number | null {
  try {
    const pid = readFileSync(join(dataDir, 'runtime.pid'), 'utf8').trim();
    return /^\d+$/.test(pid) ? Number(pid) : null;
  } catch {
    return null;
  }
}

/**
 * Whether another live process owns the folder now (a `portcullis` command asking whether the app runs beside it),
 * looked at without claiming it: a lock found free is let go at once.
 */
export function ownedByAnother(dataDir: string): boolean {
  const lock = holdFileLock(join(dataDir, 'runtime.lock'), { create: false });
  if (lock === 'held') return true;
  if (lock === 'absent') return false;
  if (lock === null) return recordedOwnerIsAnother(dataDir);
  lock.close();
  return false;
}

/** Where the lock cannot be taken or read: whether `runtime.pid` names a live process other than this one. */
function recordedOwnerIsAnother(dataDir: string): boolean {
  const pid = recordedOwnerPid(dataDir);
  return pid !== null && pid !== process.pid && processAlive(pid);
}

/**
 * Whether the process that owned the folder has ended since this one started beside it (an app started while a
 * `portcullis` command ran outlives it): what only the owner does is then this process's to do.
 */
export function folderOwnerGone(dataDir: string): boolean {
  const pid = recordedOwnerPid(dataDir);
  return pid === null || !processAlive(pid);
}
