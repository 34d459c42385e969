import { KeyringSecretStore } from '../../core/secrets/keyring-secret-store';
import { CliUsageError, type CommandContext } from '../command';

export const secretsHelp = `portcullis secrets list [--json]
portcullis secrets set <name>      (reads the value from standard input, never from the command line)
portcullis secrets delete <name>
  Secrets (provider keys, MCP credentials) in the OS keychain. Values are never printed.`;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliUsageError('Pipe the value in, e.g. `printf %s "$OPENAI_API_KEY" | portcullis secrets set provider.openai`, so it stays out of your shell history.');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export async function secretsCommand({ values, positionals, out }: CommandContext): Promise<number> {
  const [action, name] = positionals;
  const store = new KeyringSecretStore();
  if (action === 'list') {
    const names = await store.list();
    if (values.json) out(JSON.stringify(names.map((n) => ({ name: n, set: true }))));
    else out(names.length === 0 ? 'No secrets are set.' : names.map((n) => `${n}  set`).join('\n'));
    return 0;
  }
  if (!name) throw new CliUsageError(`Say which secret: portcullis secrets ${action ?? 'set'} <name>.`);
  if (action === 'set') {
    const value = await readStdin();
    if (!value) throw new CliUsageError('The value on standard input was empty; nothing was stored.');
    await store.set(name, value);
    out(`${name} is set.`);
    return 0;
  }
  if (action === 'delete') {
    out((await store.delete(name)) ? `${name} is removed.` : `${name} was not set.`);
    return 0;
  }
  throw new CliUsageError(`Unknown secrets action "${action ?? ''}": use list, set or delete.`);
}
