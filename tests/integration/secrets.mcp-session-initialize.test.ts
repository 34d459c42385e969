import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { secretsCommand } from '../../src/cli/commands/secrets';
import { startHeadlessServer } from '../../src/server/headless-server';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { filesHolding } from '../helpers/stored-files';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const CANARY = 'zqinitialize5b8d2r6w';

/** An MCP client that puts a secret's value in what it sends at initialize (its name, a capability), its session kept. */
async function openSession(secrets?: MemorySecretStore) {
  const dataDir = tempDir();
  const t = startTestRuntime({ dataDir, ...(secrets ? { secretStore: secrets } : {}) });
  const server = await startHeadlessServer({ runtime: t.runtime });
  const { key } = t.runtime.apiKeys.create({ name: 'cursor', scopes: ['tools'] });
  const client = new Client({ name: `Cursor ${CANARY}`, version: '1.0.0' }, { capabilities: { experimental: { vendor: { token: CANARY } } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${server.port}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  await client.listTools();
  const stored = () => {
    const db = new BetterSqlite3(join(dataDir, 'portcullis.db'), { readonly: true });
    try {
      return db.prepare('SELECT initialize_json FROM mcp_sessions').pluck().all() as string[];
    } finally {
      db.close();
    }
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await client.close();
    await server.close();
    t.runtime.dispose();
  };
  onTestFinished(stop);
  return { dataDir, stored, stop };
}

describe('what an MCP client sent at initialize, kept to take its session up after a restart', () => {
  it('is stored masked when it holds a secret the keychain has', async () => {
    const s = await openSession(new MemorySecretStore({ 'provider.openai': CANARY }));
    const [row] = s.stored();
    expect(row).toContain('Cursor [REDACTED:secret]');
    expect(row).not.toContain(CANARY);
    await s.stop();
    expect(filesHolding(s.dataDir, CANARY)).toEqual([]);
  });

  it('is masked by the secrets scrub when the value became a secret later', async () => {
    const s = await openSession();
    expect(s.stored()[0]).toContain(CANARY);
    const lines: string[] = [];
    expect(await secretsCommand({ values: { 'data-dir': s.dataDir, json: true }, positionals: ['scrub'], out: (line) => void lines.push(line) }, new MemorySecretStore({ later: CANARY }))).toBe(0);
    expect(JSON.parse(lines.join('\n'))).toMatchObject({ rows: { mcp_sessions: 1 } });
    expect(s.stored()[0]).not.toContain(CANARY);
    await s.stop();
    expect(filesHolding(s.dataDir, CANARY)).toEqual([]);
  });
});
