import { AuditLog } from '../../core/audit/audit-log';
import { prepareDataFolder } from '../../core/config/data-paths';
import { openDatabase } from '../../core/storage/database';
import { CliUsageError, type CommandContext } from '../command';

export const auditHelp = `portcullis audit verify [--json] [--data-dir D]
  Checks the audit log's hash chain; an edited or deleted entry is reported with where it is (exit 1).`;

export async function auditCommand({ values, positionals, out }: CommandContext): Promise<number> {
  if (positionals[0] !== 'verify') throw new CliUsageError(`Unknown audit command "${positionals[0] ?? ''}".`);
  const db = openDatabase(prepareDataFolder(values['data-dir']).databaseFile);
  try {
    const result = new AuditLog(db).verify();
    if (values.json) out(JSON.stringify(result));
    else if (!result.ok) out(`The audit log was tampered with at entry ${result.seq}: ${result.problem}.`);
    else out(`The audit log is intact: ${result.entries} entries${result.masked > 0 ? `, ${result.masked} of them with a secret masked by a secrets scrub (each declared on the chain)` : ''}.`);
    return result.ok ? 0 : 1;
  } finally {
    db.close();
  }
}
