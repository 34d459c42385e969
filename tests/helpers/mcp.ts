import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStore } from '../../src/core/secrets/secret-store';
import { repoRoot } from './paths';

/** The MCP servers installed as dev dependencies, started as a person's mcp.json would start them. */
export const mcpBin = (name: 'everything' | 'filesystem' | 'memory'): string => join(repoRoot, 'node_modules', '.bin', `mcp-server-${name}`);

/** The misbehaving fixture server (hangs, crashes, garbage, 10 MB, slow start). */
export const chaosServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'chaos-server.mjs');

export function writeMcpConfig(dataDir: string, mcpServers: Record<string, unknown>): void {
  writeFileSync(join(dataDir, 'mcp.json'), JSON.stringify({ mcpServers }, null, 2));
}

/** A SecretStore kept in memory, standing in for the OS keychain. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();
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
