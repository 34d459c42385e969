import { join, resolve } from 'node:path';
import { defaultDataDir } from '../../core/config/data-paths';
import { announceSecretsChanged } from '../../core/secrets/secrets-changed-signal';
import { keychainSecrets } from '../../core/secrets/keychain-secret-values';
import { secretInFileAdvice, secretsInHandWrittenFiles } from '../../core/secrets/secrets-in-hand-written-files';
import { secretInSettingAdvice, secretsInSettings } from '../../core/secrets/secrets-in-settings';
import { openDatabase } from '../../core/storage/database';
import { KeyringSecretStore } from '../../core/secrets/keyring-secret-store';
import { isSecretName, SECRET_NAME_WORDS } from '../../core/secrets/secret-name';
import type { SecretStore } from '../../core/secrets/secret-store';
import { scrubDataFolder } from '../../core/storage/scrub/scrub-data-folder';
import { rowsScrubbed, type ScrubReport } from '../../core/storage/scrub/stored-secret-scrubber';
import { CliUsageError, type CommandContext } from '../command';

export const secretsHelp = `portcullis secrets list [--json]
portcullis secrets set <name> [--data-dir D]   (reads the value from standard input, never from the command line)
portcullis secrets delete <name>
portcullis secrets scrub [--data-dir D] [--json]
  Secrets (provider keys, MCP credentials) in the OS keychain. Values are never printed. A value set is also
  masked where the data folder already stored it (typed in a chat before it was a secret); scrub does that for
  every secret the keychain holds, and prints how many rows changed per table (after an upgrade, the folder's
  owner runs it once by itself), and which lines of policy.yaml and mcp.json, and which settings, hold one:
  those are yours, never rewritten, and shown masked.`;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliUsageError('Pipe the value in, e.g. `printf %s "$OPENAI_API_KEY" | portcullis secrets set provider.openai`, so it stays out of your shell history.');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Counts only, per table: what changed, what was kept and why. */
export function describeScrub(report: ScrubReport): string {
  const changed = Object.entries(report.rows).filter(([, n]) => n > 0);
  const lines = [
    `Scrubbed ${report.secrets} secret value${report.secrets === 1 ? '' : 's'} from stored data: ${rowsScrubbed(report)} rows changed` +
      `${changed.length > 0 ? ` (${changed.map(([table, n]) => `${table} ${n}`).join(', ')})` : ''}, ${report.exports} export files${report.toolPins ? ', tool-pins.json' : ''}, in ${report.ms} ms.`,
  ];
  if (report.tooShort > 0) lines.push(`${report.tooShort} shorter than 6 characters left alone: masking them would mangle ordinary text.`);
  if (report.rows.audit_log) lines.push(`${report.rows.audit_log} audit log entries were masked; each keeps its hash, and an entry added to the chain says which (portcullis audit verify).`);
  if (report.rows.policy_user_rules) {
    lines.push(`${report.rows.policy_user_rules} of your "Always allow" rules held one: masked and turned off, since a masked pattern no longer matches what you allowed; revoke them (portcullis policy rules, portcullis policy revoke ID).`);
  }
  if (!report.walsEmptied) lines.push('Another Portcullis kept reading the files, so a WAL was not emptied: run portcullis secrets scrub again.');
  return lines.join('\n');
}

function settingsHolding(dataDir: string, named: Parameters<typeof secretsInSettings>[1]): ReturnType<typeof secretsInSettings> {
  const db = openDatabase(join(dataDir, 'portcullis.db'));
  try {
    return secretsInSettings(db, named);
  } finally {
    db.close();
  }
}

export async function secretsCommand({ values, positionals, out }: CommandContext, store: SecretStore = new KeyringSecretStore()): Promise<number> {
  const [action, name] = positionals;
  if (!['list', 'set', 'delete', 'scrub'].includes(action ?? '')) {
    throw new CliUsageError(action ? `Unknown secrets command "${action}"; use "list", "set", "delete" or "scrub".` : 'Say "secrets list", "secrets set NAME", "secrets delete NAME" or "secrets scrub".');
  }
  if (action === 'list') {
    const names = await store.list();
    if (values.json) out(JSON.stringify(names.map((n) => ({ name: n, set: true }))));
    else out(names.length === 0 ? 'No secrets are set.' : names.map((n) => `${n}  set`).join('\n'));
    return 0;
  }
  if (action === 'scrub') {
    const named = await keychainSecrets(store);
    const secrets = named.flatMap((secret) => secret.values);
    const report = await scrubDataFolder(values['data-dir'], secrets);
    // The files the person writes are never rewritten: where a value stands in them is said instead.
    const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
    const inFiles = secretsInHandWrittenFiles(dataDir, named);
    const inSettings = report ? settingsHolding(dataDir, named) : [];
    if (values.json) out(JSON.stringify({ ...(report ?? { secrets: secrets.length, rows: {}, stored: false }), files: inFiles, settings: inSettings }));
    else out([report ? describeScrub(report) : 'Nothing is stored in this data folder yet.', ...inFiles.map(secretInFileAdvice), ...inSettings.map(secretInSettingAdvice)].join('\n'));
    return 0;
  }
  if (!name) throw new CliUsageError(`Say which secret: portcullis secrets ${action ?? 'set'} <name>.`);
  // Said before the value is read, naming what was typed, as other mistakes in a command are (exit 2).
  if (!isSecretName(name)) throw new CliUsageError(`"${name}" is not a secret name. ${SECRET_NAME_WORDS.replace(/\.$/, '')}, e.g. provider.openai.`);
  if (action === 'set') {
    const value = await readStdin();
    if (!value) throw new CliUsageError('The value on standard input was empty; nothing was stored.');
    await store.set(name, value);
    out(`${name} is set.`);
    // A Portcullis running on the folder masks it from now on; what was stored before the value was a secret (typed
    // in a chat, said back by a server) is masked now, including what it wrote until it read the keychain again.
    announceSecretsChanged(resolve(values['data-dir'] ?? defaultDataDir()));
    const report = await scrubDataFolder(values['data-dir'], [value]);
    if (report) out(describeScrub(report));
    return 0;
  }
  if (action === 'delete') {
    out((await store.delete(name)) ? `${name} is removed.` : `${name} was not set.`);
    return 0;
  }
  throw new CliUsageError(`Unknown secrets command "${action ?? ''}".`);
}
