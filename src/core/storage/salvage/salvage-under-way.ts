import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { holdFileLock } from '../../runtime/process-lock';

/** The folder `portcullis db salvage` writes in, inside the data folder (same disk: the new file is renamed into place). */
export const SALVAGE_WORK_FOLDER = 'salvage-in-progress';

/**
 * Whether `portcullis db salvage` is running on this data folder now: its work folder is there and `runtime.lock` is
 * held (the salvage holds it from start to end). A work folder with the lock free is what a killed salvage left.
 */
export function salvageUnderWay(dataDir: string): boolean {
  if (!existsSync(join(dataDir, SALVAGE_WORK_FOLDER))) return false;
  const lock = holdFileLock(join(dataDir, 'runtime.lock'), { create: false });
  if (lock === 'held') return true;
  if (lock !== null && lock !== 'absent') lock.close();
  return false;
}
