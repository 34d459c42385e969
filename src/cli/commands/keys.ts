import { ApiKeyService, type ApiKeyInfo } from '../../core/auth/api-keys';
import { parseExpiry } from '../../core/auth/parse-expiry';
import { parseScopes, SCOPES } from '../../core/auth/scopes';
import { systemClock } from '../../core/clock';
import { prepareDataFolder } from '../../core/config/data-paths';
import { openDatabase } from '../../core/storage/database';
import { ApiKeyStore } from '../../core/storage/stores/api-key-store';
import { CliUsageError, type CommandContext } from '../command';
import { AuditLog } from '../../core/audit/audit-log';

export const keysHelp = `portcullis keys create --name N --scope S [--scope S ...] [--expires 30d|ISO date] [--data-dir D] [--json]
portcullis keys list [--data-dir D] [--json]
portcullis keys revoke <id> [--data-dir D]
  Local API keys (scopes: ${SCOPES.join(', ')}). A new key is printed once; only its hash is stored.`;

function describe(info: ApiKeyInfo, now: number): string {
  const state = info.revokedAt !== null ? 'revoked' : info.expiresAt !== null && info.expiresAt <= now ? 'expired' : 'active';
  const expires = info.expiresAt === null ? 'never expires' : `expires ${new Date(info.expiresAt).toISOString()}`;
  return `${info.id}  ${state.padEnd(7)}  ${info.name}  [${info.scopes.join(' ')}]  ${expires}`;
}

export async function keysCommand({ values, positionals, out }: CommandContext): Promise<number> {
  const [action, ...rest] = positionals;
  const db = openDatabase(prepareDataFolder(values['data-dir']).databaseFile);
  try {
    const keys = new ApiKeyService(new ApiKeyStore(db), systemClock, new AuditLog(db));
    const now = systemClock.now();
    if (action === 'create') {
      if (!values.name) throw new CliUsageError('Give the key a name: --name "my script".');
      if (!values.scope?.length) throw new CliUsageError(`Give at least one --scope (${SCOPES.join(', ')}).`);
      let scopes;
      let expiresAt: number | null = null;
      try {
        scopes = parseScopes(values.scope);
        if (values.expires) expiresAt = parseExpiry(values.expires, now);
      } catch (error) {
        throw new CliUsageError((error as Error).message);
      }
      const { key, info } = keys.create({ name: values.name, scopes, expiresAt });
      if (values.json) out(JSON.stringify({ key, ...info }));
      else out(`Created API key ${info.id} (${info.scopes.join(', ')}).\n\n  ${key}\n\nCopy it now: it is shown only once. Send it as "Authorization: Bearer <key>".`);
      return 0;
    }
    if (action === 'list') {
      const list = keys.list();
      if (values.json) out(JSON.stringify(list));
      else out(list.length === 0 ? 'No API keys. Create one with `portcullis keys create`.' : list.map((info) => describe(info, now)).join('\n'));
      return 0;
    }
    if (action === 'revoke') {
      const id = rest[0];
      if (!id) throw new CliUsageError('Say which key to revoke: portcullis keys revoke <id> (ids are in `portcullis keys list`).');
      if (!keys.revoke(id)) {
        out(`No active key with id "${id.slice(0, 40)}".`);
        return 1;
      }
      out(`Revoked ${id}. It stops working at once, also on a running host.`);
      return 0;
    }
    throw new CliUsageError(`Unknown keys action "${action ?? ''}": use create, list or revoke.`);
  } finally {
    db.close();
  }
}
