import type { GrantChange } from '../../shared/domain/grant-change';
import type { AuditLog } from './audit-log';
import { WHILE_NOT_RUNNING } from './grant-file-audit';

/** How many changes the history on Tools & servers shows: the audit log (`portcullis audit list sandbox`) has them all. */
export const GRANT_HISTORY_LENGTH = 50;

/** The newest changes of what mcp.json and http-fetch.json grant, the newest first, as the audit chain recorded them. */
export function grantHistory(audit: AuditLog, limit = GRANT_HISTORY_LENGTH): GrantChange[] {
  return audit.newest(['sandbox.granted', 'sandbox.revoked'], limit).flatMap((entry) => {
    const data = (entry.data ?? {}) as Record<string, unknown>;
    const change = changeOf(data);
    if (!change) return [];
    return [{
      seq: entry.seq,
      at: entry.at,
      granted: entry.kind === 'sandbox.granted',
      ...(typeof data.server === 'string' ? { server: data.server } : {}),
      ...(typeof data.tool === 'string' ? { tool: data.tool } : {}),
      ...change,
      whileClosed: data.while === WHILE_NOT_RUNNING,
    }];
  });
}

function changeOf(data: Record<string, unknown>): Pick<GrantChange, 'change' | 'value'> | null {
  if ('added' in data || 'removed' in data) return { change: 'server' };
  if ('sandbox' in data) return { change: 'sandbox' };
  if ('trustedOutput' in data) return { change: 'trustedOutput' };
  if (typeof data.domain === 'string') return { change: 'domain', value: data.domain };
  if (typeof data.folder === 'string') return { change: 'folder', value: data.folder };
  if (typeof data.readFolder === 'string') return { change: 'readFolder', value: data.readFolder };
  if ('readHome' in data) return { change: 'readHome' };
  if ('sshAgent' in data) return { change: 'sshAgent' };
  // A private conversation's entry keeps only its kind; grants are never about one, but nothing is guessed.
  return null;
}
