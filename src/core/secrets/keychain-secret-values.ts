import { credentialsInJson } from './credentials-in-json';
import type { SecretStore } from './secret-store';

/** One keychain secret: its name, its value, and the tokens inside it when it is kept as JSON. */
export interface NamedSecretValues {
  name: string;
  values: string[];
}

/**
 * Every secret the keychain holds, by name: each value, and the tokens inside one kept as JSON (an OAuth sign-in's
 * token set), which a server that said its token back had stored unmasked until they were known on their own.
 */
export async function keychainSecrets(store: SecretStore): Promise<NamedSecretValues[]> {
  const secrets: NamedSecretValues[] = [];
  for (const name of await store.list()) {
    const value = await store.get(name);
    if (value) secrets.push({ name, values: [value, ...credentialsInJson(value)] });
  }
  return secrets;
}

/** Every value the keychain holds, for a scrub of what was stored before they were secrets (`keychainSecrets`). */
export async function keychainSecretValues(store: SecretStore): Promise<string[]> {
  return (await keychainSecrets(store)).flatMap((secret) => secret.values);
}
