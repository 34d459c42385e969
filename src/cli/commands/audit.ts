import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { AuditLog } from '../../core/audit/audit-log';
import { dataFolderPaths } from '../../core/config/data-paths';
import { openDatabase } from '../../core/storage/database';
import { utcMinute } from '../../shared/utc-minute';
import { CliUsageError, type CommandContext } from '../command';
import { readStoredData } from '../stored-data';

/** How many entries `audit list` prints (the newest); --json prints them all. */
const SHOWN = 100;

export const auditHelp = `portcullis audit verify [--json] [--data-dir D]
  Checks the audit log's hash chain; an edited or deleted entry is reported with where it is (exit 1), as is a data
  folder with no audit log at all, and entries lost with a damaged page (\`db salvage\` declares them).
portcullis audit list [KIND] [--json] [--data-dir D]
  Prints the audit log's newest ${SHOWN} entries, oldest first: number, time (UTC), kind and what it recorded. KIND keeps
  the kinds that start with it: "sandbox" for what mcp.json and http-fetch.json granted or took back (the page's
  changes, hand edits, and at start those made while Portcullis was not running), "approval", "api_key"…`;

export async function auditCommand(context: CommandContext): Promise<number> {
  const [sub, ...rest] = context.positionals;
  if (sub === 'verify' && rest.length === 0) return verify(context);
  if (sub === 'list' && rest.length <= 1) return list(context, rest[0]);
  if (sub === 'list') throw new CliUsageError('Name at most one kind: portcullis audit list sandbox.');
  if (sub === 'verify') throw new CliUsageError('audit verify takes no names: portcullis audit verify.');
  throw new CliUsageError(sub ? `Unknown audit command "${sub}"; use "verify" or "list".` : 'Say "audit verify" or "audit list".');
}

function verify({ values, out }: CommandContext): number {
  const { dataDir, databaseFile } = dataFolderPaths(values['data-dir']);
  // Nothing to verify is not an intact log: a mistyped --data-dir, or a database removed whole, said as such (and no
  // empty one made in its place to read "intact" next time).
  if (!existsSync(databaseFile)) {
    const problem = `there is no audit log in ${dataDir}: no Portcullis has stored anything there, or its database (${basename(databaseFile)}) was removed`;
    if (values.json) out(JSON.stringify({ ok: false, entries: 0, seq: 0, problem }));
    else out(`Nothing was verified: ${problem}. Is --data-dir the folder you meant?`);
    return 1;
  }
  const db = openDatabase(databaseFile);
  try {
    const result = new AuditLog(db).verify();
    if (values.json) out(JSON.stringify(result));
    else if (!result.ok && result.lost) out(`The audit log cannot be verified whole: ${result.problem}.`);
    else if (!result.ok) out(`The audit log was tampered with at entry ${result.seq}: ${result.problem}.`);
    else out(`The audit log is intact: ${result.entries} entries${result.masked > 0 ? `, ${result.masked} of them with a secret masked by a secrets scrub (each declared on the chain)` : ''}.`);
    return result.ok ? 0 : 1;
  } finally {
    db.close();
  }
}

/** Only reads: where there is no database yet there is nothing to list, and nothing is created. */
function list({ values, out }: CommandContext, kind: string | undefined): Promise<number> {
  return readStoredData(values['data-dir'], (db) => {
    const log = db ? new AuditLog(db) : undefined;
    if (values.json) {
      const entries = !log ? [] : kind ? log.entriesOfKind(kind) : log.entries();
      out(JSON.stringify({ entries: entries.map(({ hash: _hash, ...entry }) => entry) }));
      return 0;
    }
    // Of the whole log only the newest are read (a log of 200,000 entries took a third of a second to parse whole);
    // the chain numbers its entries from 1, so the first shown says how many came before it.
    const entries = !log ? [] : kind ? log.entriesOfKind(kind) : log.latest(SHOWN);
    if (entries.length === 0) {
      out(kind ? `No audit entry of a kind starting with "${kind}".` : 'The audit log is empty.');
      return 0;
    }
    const earlier = kind ? entries.length - SHOWN : entries[0]!.seq - 1;
    if (earlier > 0) out(`(${earlier} earlier entries not shown; --json prints them all)`);
    for (const entry of entries.slice(-SHOWN)) {
      const about = entry.conversationId ? `  conversation ${entry.conversationId}` : '';
      out(`#${entry.seq}  ${utcMinute(entry.at)}  ${entry.kind}${about}  ${JSON.stringify(entry.data)}`);
    }
    return 0;
  });
}
