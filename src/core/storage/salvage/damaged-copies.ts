import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { dataFolderPaths } from '../../config/data-paths';

/**
 * The copies of a damaged `portcullis.db` kept beside it: the one `db salvage` moved aside
 * (`portcullis.db.damaged-<time>.bak`) and the one a start refused by the damage made (`portcullis.db.corrupt-<time>.bak`),
 * each with its `-wal` and `-shm`. They hold all the old file held, as it was: deleting a conversation, a retention
 * cut and the scrub of a secret saved later never reach them, so the person deletes them once the salvage is as wanted.
 */
export function damagedCopies(databaseFile: string): string[] {
  const kept = new RegExp(`^${escaped(basename(databaseFile))}\\.(?:damaged|corrupt)-[^/\\\\]*\\.bak(?:-wal|-shm)?$`);
  const folder = dirname(databaseFile);
  return readdirSync(folder)
    .filter((name) => kept.test(name))
    .sort()
    .map((name) => join(folder, name));
}

/** `portcullis db discard-damaged`: deletes the damaged copies of the data folder's database, and says which. */
export function discardDamagedCopies(dataDir: string | undefined): { database: string; deleted: string[] } {
  const { databaseFile } = dataFolderPaths(dataDir);
  const copies = damagedCopies(databaseFile);
  if (copies.length === 0) throw new AppError('NOT_FOUND', `There is no damaged copy of ${databaseFile} to delete (no ${basename(databaseFile)}.damaged-….bak or .corrupt-….bak beside it). Nothing was changed.`);
  for (const copy of copies) rmSync(copy, { force: true });
  return { database: databaseFile, deleted: copies };
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
