import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { auditedData, connectMcpClient, postChannel } from '../helpers/local-api-client';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const CANARY = 'zqprobe5k8w3n1v';

describe('a key that calls a name no tool has (probing for tool names)', () => {
  it('is refused on the audit chain, naming the key and the name asked (a secret in it masked), without its arguments', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { chaos: { command: process.execPath, args: [chaosServer] } });
    const t = startTestRuntime({ dataDir, secretStore: new MemorySecretStore({ 'provider.openai': CANARY }) });
    await t.runtime.mcp.settled();
    const server = await startHeadlessServer({ runtime: t.runtime, log: () => undefined });
    onTestFinished(() => server.close());
    const { key } = t.runtime.apiKeys.create({ name: 'Prober', scopes: ['tools'] });

    const called = await postChannel(server.port, key, 'tools.call', { name: `admin.${CANARY}`, arguments: { password: 'hunter2-arg' } });
    expect(called.output).toMatchObject({ outcome: 'error', error: { code: 'TOOL_NOT_FOUND' } });

    const client = await connectMcpClient(server.port, key);
    const answer = (await client.callTool({ name: 'shell_exec', arguments: { command: 'id' } })) as CallToolResult;
    expect(answer.isError).toBe(true);

    const refusals = auditedData(dataDir, 'direct_call.refused');
    expect(refusals).toEqual([
      { tool: 'admin.[REDACTED:secret]', caller: 'key "Prober"', channel: 'tools.call', reason: 'There is no tool named "admin.[REDACTED:secret]".' },
      { tool: 'shell_exec', caller: 'key "Prober"', channel: 'mcp', client: 'Cursor', reason: 'There is no tool named "shell_exec".' },
    ]);
    expect(JSON.stringify(refusals)).not.toContain('hunter2-arg');
    // Still nothing else: no "Direct call" conversation.
    expect(await t.runtime.handlers['conversations.list']({})).toEqual([]);
  }, 60_000);
});
