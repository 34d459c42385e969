import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

describe('a key limited to certain tools that calls a name no tool has', () => {
  it('is told the tools it may call, not every tool Portcullis has', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { chaos: { command: process.execPath, args: [chaosServer] } });
    const t = startTestRuntime({ dataDir });
    await t.runtime.mcp.settled();
    const server = await startHeadlessServer({ runtime: t.runtime, log: () => undefined });
    onTestFinished(() => server.close());
    const { key } = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'], tools: ['chaos.e*'] });

    const response = await fetch(`http://127.0.0.1:${server.port}/api/tools.call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ name: 'chaos.ech', arguments: {} }),
    });
    const { output } = (await response.json()) as { output: { error: { code: string; message: string } } };
    expect(output.error.code).toBe('TOOL_NOT_FOUND');
    expect(output.error.message).toBe('There is no tool named "chaos.ech". Did you mean chaos.echo? Available tools: chaos.echo, chaos.escapes.');

    const client = new Client({ name: 'Cursor', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${server.port}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    onTestFinished(() => client.close());
    const answer = (await client.callTool({ name: 'chaos.exho', arguments: {} })) as CallToolResult;
    expect(answer.isError).toBe(true);
    const said = resultText(answer);
    expect(said).toContain('There is no tool named "chaos.exho". Did you mean chaos_echo? Available tools: chaos_echo, chaos_escapes.');
    // Nothing was called, so nothing was recorded: no "Direct call" conversation, no trace to point at.
    expect(answer._meta?.['portcullis/traceId']).toBeUndefined();
    for (const other of ['fs_read', 'memory', 'chaos_hang', 'http']) expect(said).not.toContain(other);

    // The person's own record of the call still names every tool.
    const unlimited = t.runtime.apiKeys.create({ name: 'all', scopes: ['chat'] }).key;
    const all = await fetch(`http://127.0.0.1:${server.port}/api/tools.call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${unlimited}` },
      body: JSON.stringify({ name: 'chaos.ech', arguments: {} }),
    });
    expect(JSON.stringify(await all.json())).toContain('fs.read');
    expect(await t.runtime.handlers['conversations.list']({})).toEqual([]);
  });
});
