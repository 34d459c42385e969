import { AppError } from '../../shared/errors';
import { secretParts } from '../redaction/secret-forms';
import type { SecretStore } from '../secrets/secret-store';

/**
 * `secret:NAME`, where it starts a value or follows a space, `=`, `:` (a URL's password: `postgresql://me:secret:NAME@h`),
 * a quote or a comma. Not inside a word (`topsecret:x`) nor right after `/`: in `postgres://secret:pw@h` the user is
 * called "secret" and `pw` is its password, not a reference to a secret named "pw".
 */
const REFERENCE = /(?<![A-Za-z0-9_.\-/])secret:([A-Za-z0-9_.-]+)/g;

/** Whether a value holds a `secret:NAME` reference (as opposed to a credential written out). */
export function hasSecretReference(value: string): boolean {
  return new RegExp(REFERENCE.source).test(value);
}

/**
 * Replaces each `secret:NAME` inside the values with the secret from the keychain, at connect time only.
 * Returns the resolved values and the secret values used, so error reports can redact them.
 */
export async function resolveSecretReferences(
  values: Record<string, string>,
  store: SecretStore | undefined,
  where: string,
): Promise<{ resolved: Record<string, string>; secrets: string[] }> {
  const resolved: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    // Each reference replaced where it was found, so the same words elsewhere in the value are left alone.
    let out = '';
    let at = 0;
    for (const match of value.matchAll(REFERENCE)) {
      const name = match[1]!;
      const secret = store ? await readSecret(store, name, `${where} needs the secret "${name}" for ${key}`) : undefined;
      if (secret === undefined) {
        throw new AppError('MCP_SERVER_UNAVAILABLE', `${where} needs the secret "${name}" for ${key}, but it is not set. Add it in Settings → Secrets.`);
      }
      secrets.push(secret);
      out += value.slice(at, match.index) + secret;
      at = match.index + match[0].length;
    }
    resolved[key] = out + value.slice(at);
  }
  return { resolved, secrets };
}

/**
 * One secret from the keychain. A keychain that cannot be read is said with the secret and the value that need it,
 * since the person reads it on the server's row, where nothing else says why a server with no secret of its own
 * would need a keychain.
 */
async function readSecret(store: SecretStore, name: string, needs: string): Promise<string | undefined> {
  try {
    return await store.get(name);
  } catch (error) {
    if (error instanceof AppError && error.code === 'KEYCHAIN_UNAVAILABLE') throw new AppError('KEYCHAIN_UNAVAILABLE', `${needs}, but the keychain cannot be read: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The names of the secrets a server's config refers to (`secret:NAME` anywhere in it: env, headers, oauth). */
export function secretNamesIn(config: unknown): Set<string> {
  return new Set([...JSON.stringify(config).matchAll(REFERENCE)].map((m) => m[1]!));
}

/**
 * What `redact` hides for these secret values: each value, and a header's `Bearer <token>` also as the token alone
 * (`secretParts`), the whole value first; nothing shorter than 4 characters. Worked out once, when a server's secrets
 * are known, rather than for every string of every result.
 */
export function hiddenTexts(secrets: readonly string[]): string[] {
  return secrets.flatMap(secretParts).filter((part) => part.length >= 4);
}

/** Hides every secret value in a text (stderr tails, error messages) before it is shown or stored (`hiddenTexts`). */
export function redact(text: string, hidden: readonly string[]): string {
  let out = text;
  for (const part of hidden) out = out.replaceAll(part, '[redacted]');
  return out;
}

/**
 * `redact` over every string in a value, keys included (a tool result, a tool's definition), so a server that echoes
 * its env cannot hand a secret to the model.
 */
export function redactDeep(value: unknown, hidden: readonly string[]): unknown {
  if (hidden.length === 0) return value;
  if (typeof value === 'string') return redact(value, hidden);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, hidden));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[redact(key, hidden)] = redactDeep(item, hidden);
    return out;
  }
  return value;
}
