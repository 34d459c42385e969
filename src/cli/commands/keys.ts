import { ApiKeyService, type ApiKeyInfo } from '../../core/auth/api-keys';
import { parseKeyTools, unlimitableScopes } from '../../core/auth/key-tool-limit';
import { parseExpiry } from '../../core/auth/parse-expiry';
import { parseScopes, SCOPES } from '../../core/auth/scopes';
import { systemClock } from '../../core/clock';
import { prepareDataFolder } from '../../core/config/data-paths';
import { openDatabase } from '../../core/storage/database';
import { ApiKeyStore } from '../../core/storage/stores/api-key-store';
import { AppError } from '../../shared/errors';
import { CliUsageError, type CommandContext } from '../command';
import { hasStoredData } from '../stored-data';
import { AuditLog } from '../../core/audit/audit-log';

export const keysHelp = `portcullis keys create --name N --scope S [--scope S ...] [--tools "fs.read,everything.*"] [--expires 30d|ISO date] [--data-dir D] [--json]
portcullis keys list [--data-dir D] [--json]
portcullis keys update <id or name> [--tools "fs.read,everything.*" | --all-tools] [--scope S ...] [--data-dir D] [--json]
portcullis keys revoke <id or name> [--data-dir D]
  Local API keys (scopes: ${SCOPES.join(', ')}).
  A new key is printed once; only its hash is stored.
  --tools limits the key to those tools (globs over Portcullis' names, as \`portcullis tools list\` shows them; a
  !glob takes tools out: "memory.*,!memory.delete_entities"):
  tools.call and /mcp list and run only those, and give only their servers' prompts and resources. Not with the
  chat, admin or approve scope, which reach every tool. update changes a key's tools (--all-tools: every tool) or
  scopes (--scope replaces them all); it holds from the key's next request, also on a running host.`;

const NO_KEYS = 'No API keys. Create one with `portcullis keys create`.';

function describe(info: ApiKeyInfo, now: number): string {
  const state = info.revokedAt !== null ? 'revoked' : info.expiresAt !== null && info.expiresAt <= now ? 'expired' : 'active';
  const expires = info.expiresAt === null ? 'never expires' : `expires ${new Date(info.expiresAt).toISOString()}`;
  const tools = info.tools === null ? 'all tools' : `tools ${info.tools.join(',')}`;
  return `${info.id}  ${state.padEnd(7)}  ${info.name}  [${info.scopes.join(' ')}]  ${tools}  ${expires}`;
}

/**
 * The key a person names by its id or, as they named it, its name (an active key's; one only: a name two active
 * keys share is refused with their ids).
 */
function keyIdOf(list: readonly ApiKeyInfo[], said: string | undefined, now: number, action: 'update' | 'revoke'): string {
  if (!said) throw new CliUsageError(`Say which key to ${action}: portcullis keys ${action} <id or name> (they are in \`portcullis keys list\`).`);
  if (list.some((info) => info.id === said)) return said;
  const named = list.filter((info) => info.name === said && info.revokedAt === null && (info.expiresAt === null || info.expiresAt > now));
  if (named.length === 1) return named[0]!.id;
  if (named.length > 1) throw new CliUsageError(`${named.length} active keys are named "${said}" (${named.map((info) => info.id).join(', ')}): say which by its id.`);
  throw new AppError('NOT_FOUND', `No key has the id or name "${said.slice(0, 100)}"; \`portcullis keys list\` shows them.`);
}

export async function keysCommand({ values, positionals, out }: CommandContext): Promise<number> {
  const [action, ...rest] = positionals;
  // Said before the data folder is opened (and made, when it is new): a mistyped command leaves nothing behind.
  if (action === 'list' && rest.length > 0) throw new CliUsageError('keys list takes no names: it lists every key.');
  if (!['create', 'list', 'update', 'revoke'].includes(action ?? '')) {
    throw new CliUsageError(action ? `Unknown keys command "${action}"; use "create", "list", "update" or "revoke".` : 'Say "keys list", "keys create --name N --scope S", "keys update <id or name>" or "keys revoke <id or name>".');
  }
  // A folder with no database yet has no keys, and a listing makes none (nor the folder: a mistyped --data-dir).
  if (action === 'list' && !hasStoredData(values['data-dir'])) {
    out(values.json ? '[]' : NO_KEYS);
    return 0;
  }
  const db = openDatabase(prepareDataFolder(values['data-dir']).databaseFile);
  try {
    const keys = new ApiKeyService(new ApiKeyStore(db), systemClock, new AuditLog(db));
    const now = systemClock.now();
    if (action === 'create') {
      if (!values.name) throw new CliUsageError('Give the key a name: --name "my script".');
      if (!values.scope?.length) throw new CliUsageError(`Give at least one --scope (${SCOPES.join(', ')}).`);
      let scopes;
      let expiresAt: number | null = null;
      let tools: string[] | null = null;
      try {
        scopes = parseScopes(values.scope);
        if (values.expires) expiresAt = parseExpiry(values.expires, now);
        if (values.tools !== undefined) tools = parseKeyTools(values.tools);
        const unlimitable = tools === null ? null : unlimitableScopes(scopes);
        if (unlimitable) throw new Error(unlimitable);
      } catch (error) {
        throw new CliUsageError((error as Error).message);
      }
      const { key, info } = keys.create({ name: values.name, scopes, expiresAt, tools });
      if (values.json) out(JSON.stringify({ key, ...info }));
      else out(`Created API key ${info.id} (${info.scopes.join(', ')}${info.tools === null ? '' : `; only the tools ${info.tools.join(', ')}`}).\n\n  ${key}\n\nCopy it now: it is shown only once. Send it as "Authorization: Bearer <key>".`);
      return 0;
    }
    if (action === 'list') {
      const list = keys.list();
      if (values.json) out(JSON.stringify(list));
      else out(list.length === 0 ? NO_KEYS : list.map((info) => describe(info, now)).join('\n'));
      return 0;
    }
    if (action === 'update') {
      const id = keyIdOf(keys.list(), rest[0], now, 'update');
      if (values.tools !== undefined && values['all-tools']) throw new CliUsageError('Give either --tools "…" or --all-tools, not both.');
      if (values.tools === undefined && !values['all-tools'] && !values.scope?.length) {
        throw new CliUsageError('Say what to change: --tools "fs.read,everything.*", --all-tools, or --scope S (as many as it should have).');
      }
      let change;
      try {
        change = {
          ...(values.scope?.length ? { scopes: parseScopes(values.scope) } : {}),
          ...(values['all-tools'] ? { tools: null } : values.tools !== undefined ? { tools: parseKeyTools(values.tools) } : {}),
        };
      } catch (error) {
        throw new CliUsageError((error as Error).message);
      }
      let info;
      try {
        info = keys.update(id, change);
      } catch (error) {
        // A tool list with the chat, admin or approve scope: said as create says it.
        if (error instanceof AppError) throw error;
        throw new CliUsageError((error as Error).message);
      }
      if (values.json) out(JSON.stringify(info));
      else out(`Updated ${info.id} (${info.name}): ${info.scopes.join(', ')}; ${info.tools === null ? 'every tool' : `only the tools ${info.tools.join(', ')}`}. It holds from the key's next request, also on a running host and in its open /mcp sessions.`);
      return 0;
    }
    if (action === 'revoke') {
      // By its id (an expired key's too), or by the name of the one active key that has it.
      const list = keys.list();
      const id = keyIdOf(list, rest[0], now, 'revoke');
      if (!keys.revoke(id)) {
        out(`No active key with id "${id.slice(0, 40)}".`);
        return 1;
      }
      const name = list.find((info) => info.id === id)?.name;
      out(`Revoked ${id}${name ? ` (${name})` : ''}. It stops working at once, also on a running host.`);
      return 0;
    }
    throw new CliUsageError(`Unknown keys command "${action ?? ''}".`);
  } finally {
    db.close();
  }
}
