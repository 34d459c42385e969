import type { AppEvent } from '../../shared/api/contract';
import type { RuntimeNotice } from '../../shared/domain/runtime-notice';
import type { AppError } from '../../shared/errors';
import type { AuditEntry } from '../audit/audit-log';
import type { Emitter } from '../lifecycle/emitter';
import type { Logger } from '../logging/logger';
import { dataFolderGone } from './data-folder-gone';
import { grantsWidenedNotice } from './grants-widened-notice';

/** What every page is told of this process beside its conversations; each notice is said to the terminal and the log too. */
export class RuntimeNotices {
  private readonly notices: RuntimeNotice[] = [];
  /** Why nothing more can be kept, once the data folder is gone: new turns and changes are refused with it. */
  storageGone: AppError | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly events: Emitter<AppEvent>,
  ) {}

  list(): RuntimeNotice[] {
    return [...this.notices];
  }

  /** More granted while closed (by the person, or a program behind their back), as found at start. */
  grantsWidened(changed: ReadonlyArray<{ file: string; entries: readonly AuditEntry[] }>): void {
    const widened = grantsWidenedNotice(changed);
    if (!widened) return;
    this.notices.push(widened);
    console.error(`portcullis: ${widened.message}`);
    this.logger.warn({ event: 'grants.widened_while_closed' }, widened.message);
  }

  /**
   * The data folder removed (or portcullis.db replaced) under the running process: SQLite writes on into the
   * unlinked file without an error, and every message would look saved and be gone at exit. Said to every open page
   * at once as well; returns the error new turns are refused with, and running ones stopped with.
   */
  dataFolderGone(dataDir: string, why: 'deleted' | 'replaced'): AppError {
    const gone = dataFolderGone(dataDir, why);
    this.storageGone = gone.error;
    this.notices.push(gone.notice);
    console.error(`portcullis: ${gone.notice.message}`);
    this.logger.error({ event: 'data_folder.gone', why }, gone.notice.message);
    this.events.fire({ channel: 'app.notice', payload: gone.notice });
    return gone.error;
  }
}
