import { credentialsInJson } from './credentials-in-json';
import type { SecretStore } from './secret-store';

/**
 * Every value the keychain holds, for a scrub of what was stored before they were secrets: each secret, and the
 * tokens inside one kept as JSON (an OAuth sign-in's token set), which a server that said its token back had
 * stored unmasked until they were known on their own.
 */
export async function keychainSecretValues(store: SecretStore): Promise<string[]> {
  const values: string[] = [];
  for (const name of await store.list()) {
    const value = await store.get(name);
    if (value) values.push(value, ...credentialsInJson(value));
  }
  return values;
}
