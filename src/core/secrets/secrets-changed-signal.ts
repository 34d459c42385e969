import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A file in the data folder that a process rewrites after it stored a secret in the keychain (`portcullis secrets
 * set`, or another Portcullis on the folder), so every running Portcullis on the folder reads the keychain again and
 * masks the new value in what it writes from then on. The keychain itself tells no one. It holds only a time and a
 * random id, never a name or a value.
 */
export function secretsChangedFile(dataDir: string): string {
  return join(dataDir, 'secrets.changed');
}

/** Says a secret changed to the processes running on `dataDir`; a folder that does not exist has none. */
export function announceSecretsChanged(dataDir: string): void {
  if (!existsSync(dataDir)) return;
  writeFileSync(secretsChangedFile(dataDir), `${Date.now()} ${randomUUID()}\n`, { mode: 0o600 });
}
