import type { AuditEntry } from '../audit/audit-log';
import { auditOrSayWhyNot, type GrantFileAuditOptions, type GrantFileTakeUp } from '../audit/grant-file-audit';
import { WatchedFile } from '../config/watched-file';
import { loadHttpFetchConfig } from './http-fetch-config';
import { HttpFetchGrantAudit } from './http-fetch-grant-audit';
import type { HttpFetchRunner } from './http-fetch-tool';

/**
 * http-fetch.json taken up as it changes: http.fetch's refusal says to add the domain to this file, so an edit counts
 * from the next call, not the next start. Each domain added or taken away is on the audit chain as a server's sandbox
 * grant is, the page's change and a hand edit alike, once, as the file is taken up (or at start). The file's own
 * problem (or an entry it leaves out), if it has one, stands among `problems` (the page's) while it lasts; `problem`
 * is the one it had at start.
 */
export function takeUpHttpFetchFile(options: {
  file: string;
  runner: HttpFetchRunner;
  problem: string | null;
  problems: string[];
  audit: GrantFileAuditOptions;
}): GrantFileTakeUp {
  const { file, runner, problems } = options;
  let problem = options.problem;
  if (problem) problems.push(problem);
  const grantAudit = new HttpFetchGrantAudit(file, options.audit);
  const changedWhileClosed: AuditEntry[] = [];
  auditOrSayWhyNot('http-fetch.json', () => changedWhileClosed.push(...grantAudit.catchUp()));
  const takeUp = (): void => {
    auditOrSayWhyNot('http-fetch.json', () => grantAudit.takeUp());
    const next = loadHttpFetchConfig(file);
    runner.configure(next.config);
    // An entry left out (localhost, an address) is said where a broken file is: the person fixes both by hand.
    const said = next.problem ?? next.warning;
    problems.splice(0, problems.length, ...problems.filter((known) => known !== problem), ...(said ? [said] : []));
    problem = said;
  };
  const watch = new WatchedFile(file, takeUp);
  return {
    changedWhileClosed,
    saved: () => {
      watch.seen();
      takeUp();
    },
    version: () => watch.version(),
    dispose: () => watch.dispose(),
  };
}
