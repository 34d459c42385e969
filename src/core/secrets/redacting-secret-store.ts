import type { Redactor } from '../redaction/redactor';
import { credentialsInJson } from './credentials-in-json';
import type { SecretStore } from './secret-store';

/**
 * The keychain as the runtime uses it: every secret value it reads or writes is registered with the redactor,
 * so that value is masked wherever it might otherwise surface (messages, tool calls, spans, logs, events).
 */
export class RedactingSecretStore implements SecretStore {
  constructor(
    private readonly store: SecretStore,
    private readonly redactor: Redactor,
    /** A value was stored: from now on it is masked as rows are written; this masks it where it is already stored. */
    private readonly onStored: (name: string, value: string) => void = () => {},
  ) {}

  /** Registers every secret already in the keychain; a keychain that cannot be read is reported, not fatal. */
  async registerExisting(onError: (error: unknown) => void = () => {}): Promise<void> {
    try {
      for (const name of await this.store.list()) await this.get(name);
    } catch (error) {
      onError(error);
    }
  }

  async get(name: string): Promise<string | undefined> {
    const value = await this.store.get(name);
    if (value) this.register(value);
    return value;
  }

  async set(name: string, value: string): Promise<void> {
    this.register(value);
    await this.store.set(name, value);
    this.onStored(name, value);
  }

  async delete(name: string): Promise<boolean> {
    const previous = await this.store.get(name).catch(() => undefined);
    const deleted = await this.store.delete(name);
    // Keep masking the old value: it may still sit in earlier records.
    if (previous) this.register(previous);
    return deleted;
  }

  /** The value, and the tokens inside one kept as JSON (an OAuth sign-in's token set). */
  private register(value: string): void {
    this.redactor.register(value);
    for (const credential of credentialsInJson(value)) this.redactor.register(credential);
  }

  list(): Promise<string[]> {
    return this.store.list();
  }
}
