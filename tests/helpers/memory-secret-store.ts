import type { SecretStore } from '../../src/core/secrets/secret-store';

/** A SecretStore kept in memory, standing in for the OS keychain. */
export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  constructor(initial: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
  }
  async get(name: string) {
    return this.values.get(name);
  }
  async set(name: string, value: string) {
    this.values.set(name, value);
  }
  async delete(name: string) {
    return this.values.delete(name);
  }
  async list() {
    return [...this.values.keys()];
  }
}
