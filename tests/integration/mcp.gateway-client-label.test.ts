import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { startTestRuntime } from '../helpers/test-runtime';
import { until } from '../helpers/until';

describe("an approval an MCP client waits for names whose key it holds, not only the name the client gives itself", () => {
  it('says the key of a client calling itself "Claude Desktop", and stays short for Cursor holding the key "cursor" (or claude-code "Claude Code")', async () => {
    const t = startTestRuntime();
    const server = await startHeadlessServer({ runtime: t.runtime });
    onTestFinished(() => server.close());
    const connect = async (keyName: string, clientName: string) => {
      const key = t.runtime.apiKeys.create({ name: keyName, scopes: ['tools'] }).key;
      const client = new Client({ name: clientName, version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${server.port}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
      onTestFinished(() => client.close());
      return client;
    };
    const shady = await connect('shady', 'Claude Desktop');
    const cursor = await connect('cursor', 'Cursor');
    const claudeCode = await connect('Claude Code', 'claude-code');
    const calls = [shady, cursor, claudeCode].map((client) => client.callTool({ name: 'fs_write', arguments: { path: 'a.txt', content: 'x' } }));
    const asked = await until('the approvals', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 3);
    expect(asked.map((request) => request.requestedBy).sort()).toEqual(['Claude Desktop (MCP, key "shady")', 'Cursor (MCP)', 'claude-code (MCP)']);
    // The sidebar cuts a long title at its end: the key comes right after a name not its own, before the day.
    const titles = (await t.runtime.handlers['conversations.list']({})).map((conversation) => conversation.title).sort();
    expect(titles).toEqual([
      expect.stringMatching(/^Claude Desktop · MCP, key "shady" · \d{1,2} \w{3}$/),
      expect.stringMatching(/^Cursor · MCP · \d{1,2} \w{3}$/),
      expect.stringMatching(/^claude-code · MCP · \d{1,2} \w{3}$/),
    ]);
    for (const request of asked) await t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice: 'deny' });
    await Promise.all(calls);
  }, 60_000);
});
