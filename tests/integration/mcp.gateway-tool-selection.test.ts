import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { chaosBehindLocalApi } from '../helpers/chaos-behind-api';
import { resultText } from '../helpers/result-text';

/** A Portcullis with the chaos server behind its `/mcp` endpoint; `connect(query)` opens a session at `/mcp?<query>`. */
async function start() {
  const t = await chaosBehindLocalApi();
  const key = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['chat'] }).key;
  const url = (query: string) => new URL(`http://127.0.0.1:${t.port}/mcp${query}`);
  const connect = async (query: string) => {
    const client = new Client({ name: 'Cursor', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url(query), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    onTestFinished(() => client.close());
    return client;
  };
  return { ...t, key, url, connect };
}

describe('an MCP client that picks the tools its session offers (/mcp?tools=…)', () => {
  it('lists and runs only the tools its URL picks, by the globs a policy rule takes; another session sees them all', async () => {
    const t = await start();
    const picked = await t.connect('?tools=fs.read,chaos.e*');
    expect((await picked.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['chaos_echo', 'chaos_escapes', 'fs_read']);
    expect(resultText(await picked.callTool({ name: 'chaos_echo', arguments: { message: 'picked' } }))).toBe('echo: picked');
    // A tool it did not pick is refused as one it does not offer, before anyone is asked: nothing waits, nothing is recorded of it.
    const refused = (await picked.callTool({ name: 'fs_write', arguments: { path: 'x.txt', content: 'x' } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(resultText(refused)).toBe('TOOL_NOT_FOUND: fs_write is not offered in this session: its URL picks the tools fs.read,chaos.e* (/mcp?tools=…).');
    expect(await t.runtime.handlers['approvals.pending']({})).toEqual([]);
    // Not even by Portcullis' own name, nor as a tool of a server the session offers nothing of.
    expect(resultText(await picked.callTool({ name: 'chaos.hang', arguments: {} }))).toContain('is not offered in this session');
    const messages = await t.runtime.handlers['messages.list']({ conversationId: (await t.runtime.handlers['conversations.list']({}))[0]!.id });
    expect(messages.filter((m) => m.toolCall).map((m) => m.toolCall!.toolName)).toEqual(['chaos.echo']);

    // Its server's resources follow the tool that reads them: not picked, not listed, not read.
    expect((await picked.listResources()).resources).toEqual([]);
    await expect(picked.readResource({ uri: 'file:///leaky/readme.md' })).rejects.toThrow(/No server behind Portcullis lists the resource/);

    const all = await t.connect('');
    expect((await all.listTools()).tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['fs_write', 'chaos_hang', 'chaos_echo', 'chaos_read_resource']));
    expect((await all.listResources()).resources.map((resource) => resource.uri)).toContain('file:///leaky/readme.md');
  }, 60_000);

  it('refuses a URL that picks by too many patterns, or by !globs alone, saying so', async () => {
    const t = await start();
    const initialize = (query: string) =>
      fetch(t.url(query), {
        method: 'POST',
        headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }),
      });
    const response = await initialize(`?tools=${Array.from({ length: 60 }, (_, i) => `t${i}.*`).join(',')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('A /mcp URL picks tools by at most 50 patterns.');
    // Read as picomatch reads it, a lone !glob would pick every tool but it.
    const negated = await initialize('?tools=!fs.write');
    expect(negated.status).toBe(400);
    expect(await negated.text()).toContain("A /mcp URL's !glob only takes tools out of those the others pick (?tools=!fs.write picks none): name the tools too");
  }, 60_000);

  it('a !glob takes tools out of those the others pick, not every tool but it', async () => {
    const t = await start();
    const picked = await t.connect('?tools=chaos.e*,!chaos.escapes');
    expect((await picked.listTools()).tools.map((tool) => tool.name)).toEqual(['chaos_echo']);
  }, 60_000);
});
