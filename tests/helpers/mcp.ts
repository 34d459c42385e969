import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

/** The MCP servers installed as dev dependencies, started as a person's mcp.json would start them. */
export const mcpBin = (name: 'everything' | 'filesystem' | 'memory'): string => join(repoRoot, 'node_modules', '.bin', `mcp-server-${name}`);

/** The misbehaving fixture server (hangs, crashes, garbage, 10 MB, slow start). */
export const chaosServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'chaos-server.mjs');

/** The fixture server that breaks the protocol itself: raw JSON-RPC (endless pages, notification and request floods, stray answers). */
export const protocolChaosServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'protocol-chaos-server.mjs');
/** Its Streamable HTTP kin (floods on its event stream), started as a process of its own: it prints "listening <port>". */
export const protocolChaosHttpServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'protocol-chaos-http-server.mjs');

export function writeMcpConfig(dataDir: string, mcpServers: Record<string, unknown>): void {
  writeFileSync(join(dataDir, 'mcp.json'), JSON.stringify({ mcpServers }, null, 2));
}

export { MemorySecretStore } from './memory-secret-store';
