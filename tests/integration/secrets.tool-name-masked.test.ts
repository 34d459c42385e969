import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { secretsCommand } from '../../src/cli/commands/secrets';
import { startHeadlessServer } from '../../src/server/headless-server';
import { writeMcpConfig } from '../helpers/mcp';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { filesHolding } from '../helpers/stored-files';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const CANARY = 'zqtoolname7c4k9m2p';

/**
 * A script's tools.call naming a tool by a secret's value: one of a server that is down, so the call is made and
 * recorded (a name no server accounts for is answered without recording anything).
 */
async function callByName(secrets?: MemorySecretStore) {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, { down: { command: join(dataDir, 'no-such-program'), maxRetries: 0 } });
  const t = startTestRuntime({ dataDir, ...(secrets ? { secretStore: secrets } : {}) });
  await t.runtime.mcp.settled();
  const server = await startHeadlessServer({ runtime: t.runtime });
  onTestFinished(() => server.close());
  const { key } = t.runtime.apiKeys.create({ name: 'script', scopes: ['chat'] });
  const post = async (channel: string, input: unknown) => {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(input) });
    return (await response.json()) as { ok: boolean; output?: unknown };
  };
  const called = await post('tools.call', { name: `down.${CANARY}`, arguments: {} });
  expect(called.output).toMatchObject({ outcome: 'error', error: { code: 'MCP_SERVER_UNAVAILABLE' } });
  return { ...t, dataDir, post };
}

describe("the name a caller gives the tool it asks for is masked as the call's arguments are", () => {
  it('is stored and listed masked when it holds a secret the keychain has', async () => {
    const t = await callByName(new MemorySecretStore({ 'provider.openai': CANARY }));
    const [conversation] = (await t.post('conversations.list', {})).output as Array<{ id: string }>;
    const messages = JSON.stringify(await t.post('messages.list', { conversationId: conversation!.id }));
    expect(messages).toContain('down.[REDACTED:secret]');
    expect(messages).not.toContain(CANARY);
    t.runtime.dispose();
    expect(filesHolding(t.dataDir, CANARY)).toEqual([]);
  });

  it('is masked by the secrets scrub when the value became a secret later', async () => {
    const t = await callByName();
    expect(filesHolding(t.dataDir, CANARY).length).toBeGreaterThan(0);
    const lines: string[] = [];
    expect(await secretsCommand({ values: { 'data-dir': t.dataDir, json: true }, positionals: ['scrub'], out: (line) => void lines.push(line) }, new MemorySecretStore({ later: CANARY }))).toBe(0);
    t.runtime.dispose();
    expect(filesHolding(t.dataDir, CANARY)).toEqual([]);
  });
});
