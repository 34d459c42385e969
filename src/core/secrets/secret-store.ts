/**
 * Secrets (provider keys, MCP credentials) live only in the OS keychain behind this port. Nothing else in the
 * runtime stores a secret value; the renderer only ever learns whether one is set.
 */
export interface SecretStore {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
  /** The names that are set (never the values). */
  list(): Promise<string[]>;
}
