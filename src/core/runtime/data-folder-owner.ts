import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Which process runs Portcullis on a data folder, and whether this one does. */
export interface DataFolderClaim {
  /** True when no other live Portcullis process holds the folder. */
  readonly owner: boolean;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The first runtime on a data folder owns it (`runtime.pid`, the owner's process id). Another one started meanwhile
 * (a `portcullis` command in a terminal while the app runs) is not the owner: at its start it must not end the
 * owner's calls and approvals under way as if a crash had left them. A pid file whose process is gone (a crash,
 * a kill) is taken over.
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
  const holder = held();
  if (holder !== null && holder !== mine && /^\d+$/.test(holder) && alive(Number(holder))) return { owner: false, release: () => undefined };
  try {
    writeFileSync(file, mine);
  } catch {
    // A folder it cannot write to fails loudly elsewhere (the database); here it only means no claim.
  }
  return {
    owner: true,
    release: () => {
      if (held() !== mine) return;
      try {
        unlinkSync(file);
      } catch {
        // Already gone.
      }
    },
  };
}
