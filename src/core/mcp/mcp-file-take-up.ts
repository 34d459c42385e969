import type { AuditEntry } from '../audit/audit-log';
import { auditOrSayWhyNot, type GrantFileAuditOptions, type GrantFileTakeUp } from '../audit/grant-file-audit';
import { WatchedFile } from '../config/watched-file';
import { McpGrantAudit } from './mcp-grant-audit';
import type { McpManager } from './mcp-manager';

/**
 * mcp.json taken up as it changes: edited in another app as an edit on the page is, the servers whose entry changed
 * restarting; one reload at a time, in order, since a save here and a save there can come close together. What
 * each version grants (a server's output trusted, a domain, a write folder) or takes back is recorded as it is taken
 * up, the page's save and a hand edit alike, once. `watched` false: the servers were not started from the file, and
 * only a save on the page is recorded.
 */
export function takeUpMcpFile(options: { file: string; mcp: McpManager; audit: GrantFileAuditOptions; watched: boolean }): GrantFileTakeUp<Promise<void>> {
  const { file, mcp } = options;
  const grantAudit = new McpGrantAudit(file, options.audit);
  const changedWhileClosed: AuditEntry[] = [];
  auditOrSayWhyNot('mcp.json', () => changedWhileClosed.push(...grantAudit.catchUp()));
  let reloads = Promise.resolve();
  const reload = (): Promise<void> =>
    (reloads = reloads
      .then(() => {
        auditOrSayWhyNot('mcp.json', () => grantAudit.takeUp());
        return mcp.reload(file);
      })
      .catch((error: unknown) => console.error('portcullis: mcp.json could not be reloaded', error)));
  const watch = options.watched ? new WatchedFile(file, () => void reload()) : null;
  return {
    changedWhileClosed,
    saved: async () => {
      if (!watch) return auditOrSayWhyNot('mcp.json', () => grantAudit.takeUp());
      watch.seen();
      await reload();
    },
    version: () => watch?.version() ?? '',
    dispose: () => watch?.dispose(),
  };
}
