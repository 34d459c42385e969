import { argumentCredentials, ENV_REFERENCE, replaceArgumentCredentials, URL_PASSWORD } from './argument-credentials';
import { isCredentialName } from './credential-names';
import { isPlainSetting } from './plain-setting-values';
import { hasSecretReference } from './secret-references';

/** What the editor shows in place of a literal credential in the file; saved back, it keeps the value on disk. */
export const HIDDEN_VALUE = '(hidden: the saved value is kept)';

/** mcp.json's `mcpServers`, each entry as written. */
export type ServerEntries = Record<string, Record<string, unknown>>;

type CredentialField = 'env' | 'headers' | 'oauth';

/**
 * A file that does not parse, its credentials cut as far as they can be found: values of credential-named keys, and
 * its strings read in order as arguments (the value after `"--token"`, a URL's password…).
 */
export function hideInBrokenText(text: string): string {
  const named = text.replace(/("([^"]*)"\s*:\s*)"[^"]*"/g, (all, key: string, name: string) => (isCredentialName(name) ? `${key}"${HIDDEN_VALUE}"` : all));
  const strings = [...named.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)];
  const hidden = hideArgumentCredentials(strings.map((m) => m[1]!));
  let out = '';
  let at = 0;
  strings.forEach((m, i) => {
    out += `${named.slice(at, m.index)}"${hidden[i]!}"`;
    at = m.index + m[0].length;
  });
  return out + named.slice(at);
}

/** A value written out in the file: not a `secret:NAME` reference, not shown hidden. */
export const isWritten = (value: string): boolean => value !== '' && !hasSecretReference(value) && !value.includes(HIDDEN_VALUE);

/** A server's `args` when they are a list of strings (anything else is left to the config's own check). */
export function argsOf(entry: Record<string, unknown> | undefined): string[] | undefined {
  const args = entry?.args;
  return Array.isArray(args) && args.every((arg) => typeof arg === 'string') ? args : undefined;
}

export function hideArgumentCredentials(args: readonly string[]): string[] {
  return replaceArgumentCredentials(args, argumentCredentials(args, isWritten), () => HIDDEN_VALUE);
}

/**
 * The saved argument behind each one shown hidden: the saved argument that reads the same once hidden, preferring
 * one after the same argument (the value of the same `--token`). Arguments can move, so place alone is no guide.
 */
export function restoreHiddenArguments(args: readonly string[], saved: readonly string[]): { args: string[]; missing: number[] } {
  const hidden = hideArgumentCredentials(saved);
  const used = new Set<number>();
  const missing: number[] = [];
  const out = args.map((arg, i) => {
    if (!arg.includes(HIDDEN_VALUE)) return arg;
    const candidates = hidden.flatMap((shown, j) => (shown === arg && shown !== saved[j] && !used.has(j) ? [j] : []));
    const match = candidates.find((j) => hidden[j - 1] === args[i - 1]) ?? candidates[0];
    if (match === undefined) {
      missing.push(i);
      return arg;
    }
    used.add(match);
    return saved[match]!;
  });
  return { args: out, missing };
}

/** A credential written out as it is (not a reference to one kept elsewhere): a credential-named key's, or a URL's password. */
export function isLiteralCredential(key: string, value: unknown): value is string {
  if (typeof value !== 'string' || value === '' || hasSecretReference(value) || value === HIDDEN_VALUE || ENV_REFERENCE.test(value)) return false;
  return (isCredentialName(key) && !isPlainSetting(value)) || URL_PASSWORD.test(value);
}

/** Each server's `env`, `headers` and `oauth` (its `clientSecret`) objects: [where, values, server, field]. */
export function credentialValues(servers: ServerEntries): Array<[string, Record<string, unknown>, string, CredentialField]> {
  const out: Array<[string, Record<string, unknown>, string, CredentialField]> = [];
  for (const [server, entry] of Object.entries(servers)) {
    if (!entry || typeof entry !== 'object') continue;
    for (const field of ['env', 'headers', 'oauth'] as const) {
      const values = entry[field];
      if (values && typeof values === 'object' && !Array.isArray(values)) out.push([`${server}.${field}`, values as Record<string, unknown>, server, field]);
    }
  }
  return out;
}
