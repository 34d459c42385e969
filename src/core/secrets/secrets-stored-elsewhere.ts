import type { Database } from 'better-sqlite3';
import { WatchedFile } from '../config/watched-file';
import type { Logger } from '../logging/logger';
import { scrubPrivateSpace } from '../storage/scrub/stored-secret-scrubber';
import { keychainSecretValues } from './keychain-secret-values';
import type { SecretStore } from './secret-store';
import { secretsChangedFile } from './secrets-changed-signal';

/**
 * A secret stored by another process (`portcullis secrets set`, a second `serve`): the keychain tells no one, so that
 * process says so in the data folder (`secrets-changed-signal.ts`) and this watch reads the keychain again (`register`),
 * to mask the new value from then on. That process scrubs the files; the private conversations, in this process's
 * memory, are scrubbed here. `closing`: once it is, a failure is not said (the private space and the log are closed).
 */
export function watchSecretsStoredElsewhere(options: {
  dataDir: string;
  secretStore: SecretStore | null;
  register: () => Promise<void> | undefined;
  privateSpace: Database;
  closing: () => boolean;
  logger: Logger;
}): WatchedFile {
  const { secretStore, logger } = options;
  return new WatchedFile(secretsChangedFile(options.dataDir), () => {
    void options
      .register()
      ?.then(async () => void (secretStore && (await scrubPrivateSpace(options.privateSpace, await keychainSecretValues(secretStore)))))
      .catch((error: unknown) => void (options.closing() || logger.warn({ event: 'secrets.scrub_failed', message: (error as Error).message }, 'a secret stored by another process could not be masked in the private conversations')));
  });
}
