import { existsSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import type { RuntimeNotice } from '../../shared/domain/runtime-notice';

/** What is said, and what a turn or a change is refused with, once the running process's database file is no longer at its path. */
export function dataFolderGone(dataDir: string, why: 'deleted' | 'replaced'): { notice: RuntimeNotice; error: AppError } {
  const message =
    why === 'replaced'
      ? `portcullis.db in ${dataDir} was replaced by another file while Portcullis was running. Nothing from now on would be kept, so no new message or change is taken: restart Portcullis to use the file there now.`
      : `${existsSync(dataDir) ? `portcullis.db in ${dataDir}` : `The data folder ${dataDir}`} was deleted while Portcullis was running. Nothing from now on can be saved, so no new message or change is taken: restart Portcullis (it starts a new, empty data folder there), or put the folder back from a backup first.`;
  return { notice: { kind: 'data-folder-gone', message }, error: new AppError('DATABASE_ERROR', message) };
}
