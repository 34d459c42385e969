import { AppError } from '../../shared/errors';
import type { SecretStore } from '../secrets/secret-store';
import { argumentCredentials, replaceArgumentCredentials } from './argument-credentials';
import { argsOf, credentialValues, isLiteralCredential, isWritten, type ServerEntries } from './hidden-credentials';
import { secretNamesIn } from './secret-references';

/**
 * Moves the credentials written out in `servers` (pasted as Claude Desktop configs carry them) to the OS keychain,
 * leaving `secret:NAME` in their place: `servers` is changed in place. The keychain names they went to, or why
 * they could not go (no keychain), naming the value that needed it.
 */
export async function moveCredentialsToKeychain(servers: ServerEntries, secrets: SecretStore): Promise<{ names: string[] } | { problem: string }> {
  const names: string[] = [];
  // No keychain: refused naming the value that needed it (the keychain's words alone did not say which, nor
  // that the rest of the file would save without it).
  const keep = async (name: string, value: string, what: string): Promise<string | null> => {
    try {
      await secrets.set(name, value);
      return null;
    } catch (error) {
      if (error instanceof AppError && error.code === 'KEYCHAIN_UNAVAILABLE') {
        return `Not saved: ${what} is a credential, which goes to the OS keychain on save, never into mcp.json. ${error.message}`;
      }
      throw error;
    }
  };
  for (const [, values, server, field] of credentialValues(servers)) {
    for (const key of Object.keys(values)) {
      const value = values[key];
      if (!isLiteralCredential(key, value)) continue;
      const name = `mcp.${server}.${key.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
      const problem = await keep(name, value, `${server}'s ${field} ${key}`);
      if (problem) return { problem };
      values[key] = `secret:${name}`;
      names.push(name);
    }
  }
  // Arguments last: their keychain names are free ones, and a name the file already refers to is not free.
  const taken = secretNamesIn(servers);
  for (const [server, entry] of Object.entries(servers)) {
    const args = argsOf(entry);
    if (!args) continue;
    const credentials = argumentCredentials(args, isWritten);
    const argumentNames: string[] = [];
    for (const credential of credentials) {
      const name = freeName(`mcp.${server}.${credential.label.replace(/[^A-Za-z0-9_.-]/g, '_')}`, taken);
      taken.add(name);
      const problem = await keep(name, args[credential.index]!.slice(credential.start, credential.end), `${server}'s argument ${credential.index + 1} (${credential.label})`);
      if (problem) return { problem };
      argumentNames.push(name);
      names.push(name);
    }
    if (credentials.length > 0) entry!.args = replaceArgumentCredentials(args, credentials, (i) => `secret:${argumentNames[i]!}`);
  }
  return { names };
}

/** `base`, or `base-2`, `base-3`… when the file already refers to it. */
function freeName(base: string, taken: ReadonlySet<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}
