import { join } from 'node:path';
import { AuditLog } from '../../core/audit/audit-log';
import { dataFolderPaths, prepareDataFolder } from '../../core/config/data-paths';
import { openDatabase } from '../../core/storage/database';
import { folderOwnerGone } from '../../core/runtime/data-folder-owner';
import { HttpFetchGrantAudit } from '../../core/tools/http-fetch-grant-audit';
import { SettingsStore } from '../../core/storage/stores/settings-store';
import { systemClock } from '../../core/clock';
import { grantsWidenedNotice } from '../../core/runtime/grants-widened-notice';
import { HttpFetchConfigEditor, type FetchDomainEdit } from '../../core/tools/http-fetch-config-editor';
import { loadHttpFetchConfig } from '../../core/tools/http-fetch-config';
import { CliUsageError, type CommandContext } from '../command';

export const webHelp = `portcullis web list [--json] [--data-dir D]
  Lists the domains the built-in http.fetch may reach (<data-dir>/http-fetch.json), as Tools & servers → Web
  access (http.fetch) shows them. None by default.
portcullis web allow DOMAIN [--json] [--data-dir D] · portcullis web remove DOMAIN [--json] [--data-dir D]
  Adds or removes one domain (example.com, or *.example.com for its subdomains; a URL, an IP address, a port, or
  localhost or a local-network name it never reaches is refused, saying why), written as the page writes it and recorded in the audit chain. A running
  Portcullis counts it from its next call; a fetch to an allowed domain is still put to the policy.`;

export async function webCommand(context: CommandContext): Promise<number> {
  const [action, ...rest] = context.positionals;
  if (action === 'list') {
    if (rest.length > 0) throw new CliUsageError('portcullis web list takes no domain; to add one: portcullis web allow example.com.');
    return list(context);
  }
  if (action === 'allow' || action === 'remove') {
    const [domain, ...extra] = rest;
    if (!domain || extra.length > 0) throw new CliUsageError(`Name one domain: portcullis web ${action} example.com.`);
    return change(context, action, domain);
  }
  throw new CliUsageError(action ? `Unknown web command "${action}"; use "list", "allow" or "remove".` : 'Say "web list", "web allow DOMAIN" or "web remove DOMAIN".');
}

/** Only reads: nothing is created in the data folder, not even the folder. */
function list({ values, out }: CommandContext): number {
  const { dataDir } = dataFolderPaths(values['data-dir']);
  // The channel's read (tools.fetchDomains).
  const file = join(dataDir, 'http-fetch.json');
  const listed = new HttpFetchConfigEditor({ file, onSaved: () => undefined }).read();
  // A broken file allows nothing (exit 1); an entry left out (localhost, an address) is said after the rest.
  const broken = loadHttpFetchConfig(file).problem !== null;
  if (values.json) out(JSON.stringify(listed));
  else if (broken) out(listed.problem!);
  else {
    out(listed.domains.length === 0 ? 'http.fetch may reach no domain. Add one: portcullis web allow example.com.' : listed.domains.join('\n'));
    if (listed.problem) out(listed.problem);
  }
  return broken ? 1 : 0;
}

function change({ values, out }: CommandContext, action: 'allow' | 'remove', typed: string): number {
  const { dataDir, databaseFile } = prepareDataFolder(values['data-dir']);
  const db = openDatabase(databaseFile);
  try {
    const file = join(dataDir, 'http-fetch.json');
    // On the audit chain as the page's change is, what an edit made before it too; a running Portcullis takes the
    // file up and records it itself.
    const auditLog = new AuditLog(db);
    const audit = new HttpFetchGrantAudit(file, { settings: new SettingsStore(db), clock: systemClock, records: () => folderOwnerGone(dataDir), record: (entry) => auditLog.record(entry) });
    const widened = grantsWidenedNotice([{ file: 'http-fetch.json', entries: audit.catchUp() }]);
    // As a runtime's start says it: to the terminal, beside what the command prints.
    if (widened) process.stderr.write(`portcullis: ${widened.message}\n`);
    const editor = new HttpFetchConfigEditor({ file, onSaved: () => audit.takeUp() });
    const domain = typed.trim().toLowerCase();
    const before = editor.read().domains;
    const edit: FetchDomainEdit = action === 'allow' ? editor.allow(typed) : editor.remove(typed);
    if (values.json) out(JSON.stringify(edit));
    else if (!edit.done) out(edit.problems.join('\n'));
    else if (action === 'remove') out(`Removed ${domain}: http.fetch no longer reaches it.`);
    else out(before.some((d) => d.toLowerCase() === domain) ? `${domain} was already allowed; nothing changed.` : `Added ${domain}: http.fetch may reach it from the next call.`);
    return edit.done ? 0 : 1;
  } finally {
    db.close();
  }
}
