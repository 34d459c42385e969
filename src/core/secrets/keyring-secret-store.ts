import { AsyncEntry, findCredentialsAsync, type EntryOptions } from '@napi-rs/keyring';
import { messageOf, ValidationError } from '../../shared/errors';
import { KeychainUnavailableError, KeyringChangedError } from './keychain-unavailable';
import { isSecretName, SECRET_NAME_WORDS } from './secret-name';
import type { SecretStore } from './secret-store';

const MAX_SECRET_BYTES = 16_384;

// Linux: require the Secret Service. The library's default falls back to the kernel keyring, which forgets
// everything at logout; a person who has no keychain must be told so, not given a store that loses secrets.
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

export const DEFAULT_KEYCHAIN_SERVICE = 'portcullis';

/** The Secret Service's answer for an item its keyring no longer holds (the file was changed by another daemon). */
const STALE_ITEM = /Object does not exist at path .*\/org\/freedesktop\/secrets\/collection\//;

/** The SecretStore port over the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service). */
export class KeyringSecretStore implements SecretStore {
  constructor(private readonly service: string = DEFAULT_KEYCHAIN_SERVICE) {}

  async get(name: string): Promise<string | undefined> {
    const value = await this.call(() => this.entry(name).getPassword());
    return value ?? undefined;
  }

  async set(name: string, value: string): Promise<void> {
    if (value.length === 0) throw new ValidationError('A secret cannot be empty; remove it instead.');
    if (Buffer.byteLength(value) > MAX_SECRET_BYTES) throw new ValidationError('A secret can be at most 16 KB.');
    await this.call(() => this.entry(name).setPassword(value));
  }

  async delete(name: string): Promise<boolean> {
    return this.call(() => this.entry(name).deletePassword());
  }

  async list(): Promise<string[]> {
    const credentials = await this.call(() => findCredentialsAsync(this.service));
    // Only the names leave this function; the values the library returns alongside are dropped here.
    return credentials.map((credential) => credential.account).sort();
  }

  /** Throws KeychainUnavailableError when no keychain answers; useful as a start-up probe. */
  async probe(): Promise<void> {
    await this.list();
  }

  private entry(name: string): AsyncEntry {
    // Values never appear in errors; a name is not a value.
    if (!isSecretName(name)) throw new ValidationError(SECRET_NAME_WORDS);
    return new AsyncEntry(this.service, name, ENTRY_OPTIONS);
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      const detail = describePlatformError(error);
      throw STALE_ITEM.test(detail) ? new KeyringChangedError(detail, error) : new KeychainUnavailableError(detail, error);
    }
  }
}

/** The platform's words, trimmed. They name the D-Bus or keychain problem and never contain a secret value. */
function describePlatformError(error: unknown): string {
  const message = messageOf(error);
  return message.replace(/\s+/g, ' ').slice(0, 300);
}
