import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { keysCommand } from '../../src/cli/commands/keys';
import { CliUsageError } from '../../src/cli/command';
import type { AuthFailureEntry } from '../../src/server/auth-gate';
import type { DirectCallOutcome } from '../../src/shared/domain/direct-call';
import type { ApiKeyInfoDto } from '../../src/shared/domain/security';
import { chaosBehindLocalApi } from '../helpers/chaos-behind-api';
import { auditedData, connectMcpClient, mcpRefusal, postChannel } from '../helpers/local-api-client';
import { resultText } from '../helpers/result-text';

/** A Portcullis with the chaos server (its prompts and resources too) behind the local API and `/mcp`. */
async function start() {
  const log: AuthFailureEntry[] = [];
  const t = await chaosBehindLocalApi({ serve: () => ({ log: (entry) => void log.push(entry) }) });
  const connect = (key: string) => connectMcpClient(t.port, key);
  const post = (key: string, channel: string, input: unknown) => postChannel(t.port, key, channel, input);
  return { ...t, connect, post, log };
}

/** The refusals on the audit chain, as they were recorded. */
const refusalsOnRecord = (dataDir: string) => auditedData(dataDir, 'direct_call.refused');

const REFUSAL = /^FORBIDDEN: fs_write is not among the tools key "Cursor" may call \(fs\.read, chaos\.e\*\), so it was not run\./;

describe('an API key limited to certain tools (keys create --tools)', () => {
  it('over /mcp lists and runs only its tools; another is refused, naming the key and its tools, before anyone is asked', async () => {
    const t = await start();
    const limited = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'], tools: ['fs.read', 'chaos.e*'] }).key;
    const client = await t.connect(limited);
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['chaos_echo', 'chaos_escapes', 'fs_read']);
    expect(resultText(await client.callTool({ name: 'chaos_echo', arguments: { message: 'allowed' } }))).toBe('echo: allowed');

    const refused = (await client.callTool({ name: 'fs_write', arguments: { path: 'x.txt', content: 'x' } })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(resultText(refused)).toMatch(REFUSAL);
    // fs.write asks the person for anyone else; for this key nothing waits, and nothing ran.
    expect(await t.runtime.handlers['approvals.pending']({})).toEqual([]);
    expect(resultText(await client.callTool({ name: 'chaos.hang', arguments: {} }))).toMatch(/^FORBIDDEN: chaos\.hang is not among the tools key "Cursor" may call/);
    // A tool the key may not reach is answered as a name no tool has: the key learns nothing of what exists.
    const asked = (name: string) => async () => resultText(await client.callTool({ name, arguments: {} })).replaceAll(name, '<asked>');
    expect(await asked('chaos_hang')()).toBe(await asked('chaos_nowhere')());
    // Nothing ran, but the attempts are on the audit chain: which tool, which key, which client.
    expect(refusalsOnRecord(t.dataDir)).toEqual([
      { tool: 'fs.write', caller: 'key "Cursor"', channel: 'mcp', client: 'Cursor', reason: expect.stringContaining('key "Cursor"') },
      { tool: 'chaos.hang', caller: 'key "Cursor"', channel: 'mcp', client: 'Cursor', reason: expect.stringContaining('(fs.read, chaos.e*)') },
      { tool: 'chaos.hang', caller: 'key "Cursor"', channel: 'mcp', client: 'Cursor', reason: expect.stringContaining('(fs.read, chaos.e*)') },
      { tool: 'chaos_nowhere', caller: 'key "Cursor"', channel: 'mcp', client: 'Cursor', reason: expect.stringContaining('(fs.read, chaos.e*)') },
    ]);
    const conversation = (await t.runtime.handlers['conversations.list']({}))[0]!;
    const messages = await t.runtime.handlers['messages.list']({ conversationId: conversation.id });
    expect(messages.filter((m) => m.toolCall).map((m) => m.toolCall!.toolName)).toEqual(['chaos.echo']);
    // Its server's resources are read by chaos.read_resource, which the key does not reach: not listed, not read
    // (answered as a URI no server lists, so the key learns nothing of what chaos has), and the attempt is on the
    // audit chain as a refused call of it.
    expect((await client.listResources()).resources).toEqual([]);
    const notListed = await mcpRefusal(client.readResource({ uri: 'file:///nowhere.md' }), 'file:///nowhere.md');
    expect(notListed.message).toMatch(/No server behind Portcullis lists the resource <asked>/);
    expect(await mcpRefusal(client.readResource({ uri: 'file:///leaky/readme.md' }), 'file:///leaky/readme.md')).toEqual(notListed);
    // A URI no server lists is not a refusal of the key's: nothing recorded.
    expect(refusalsOnRecord(t.dataDir).slice(4)).toEqual([
      { tool: 'chaos.read_resource', caller: 'key "Cursor"', channel: 'mcp', uri: 'file:///leaky/readme.md', client: 'Cursor', reason: expect.stringContaining('(fs.read, chaos.e*)') },
    ]);

    // A key without a list is as before: every tool.
    const unlimited = await t.connect(t.runtime.apiKeys.create({ name: 'Other', scopes: ['tools'] }).key);
    expect((await unlimited.listTools()).tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['fs_write', 'chaos_hang', 'chaos_echo', 'chaos_read_resource', 'fs_read']));
    expect((await unlimited.listResources()).resources.map((resource) => resource.uri)).toContain('file:///leaky/readme.md');
  }, 60_000);

  it('over /mcp?tools=… (a selection the client makes itself) still answers a tool it may not reach as a name no tool has', async () => {
    const t = await start();
    const limited = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'], tools: ['fs.read'] }).key;
    // The client picks chaos' tools: the selection is its own, so it must not sort real names from made-up ones.
    const client = new Client({ name: 'Cursor', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${t.port}/mcp?tools=chaos.*`), { requestInit: { headers: { authorization: `Bearer ${limited}` } } }));
    onTestFinished(() => client.close());
    const asked = async (name: string) => resultText(await client.callTool({ name, arguments: {} })).replaceAll(name, '<asked>');
    expect(await asked('chaos_hang')).toMatch(/^FORBIDDEN: <asked> is not among the tools key "Cursor" may call/);
    expect(await asked('chaos_nowhere')).toBe(await asked('chaos_hang'));
    expect(await asked('chaos.nowhere')).toBe(await asked('chaos.hang'));
  });

  it('over the local API: tools.call runs its tools and refuses another, and a resource read is held to the same list', async () => {
    const t = await start();
    writeFileSync(join(t.workspace, 'a.txt'), 'alpha');
    const limited = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'], tools: ['fs.read', 'chaos.e*'] }).key;
    const read = await t.post(limited, 'tools.call', { name: 'fs.read', arguments: { path: 'a.txt' } });
    expect(read.ok).toBe(true);
    expect(JSON.stringify((read.output as DirectCallOutcome).result)).toContain('alpha');

    const write = await t.post(limited, 'tools.call', { name: 'fs.write', arguments: { path: 'b.txt', content: 'b' } });
    expect(write).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(write.error!.message).toMatch(/^fs\.write is not among the tools key "Cursor" may call \(fs\.read, chaos\.e\*\)/);
    expect(await t.runtime.handlers['approvals.pending']({})).toEqual([]);
    // The key has the scope: the log says the channel refused it, not that a scope was missing.
    expect(t.log.map((entry) => entry.reason)).toEqual(['refused:tools.call']);
    expect(refusalsOnRecord(t.dataDir)).toEqual([{ tool: 'fs.write', caller: 'key "Cursor"', channel: 'tools.call', reason: expect.stringContaining('key "Cursor"') }]);

    const resource = await t.post(limited, 'resources.read', { server: 'chaos', uri: 'file:///leaky/readme.md' });
    expect(resource).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Told what it would be told of a server that is not there: the key learns nothing of the servers it is kept from.
    const ghost = await t.post(limited, 'resources.read', { server: 'ghost', uri: 'file:///leaky/readme.md' });
    expect(resource.error).toEqual({ ...ghost.error, message: ghost.error!.message.replace('ghost', 'chaos') });
    expect(refusalsOnRecord(t.dataDir).slice(1)).toEqual([
      { tool: 'chaos.read_resource', caller: 'key "Cursor"', channel: 'resources.read', uri: 'file:///leaky/readme.md', reason: expect.stringContaining('key "Cursor"') },
    ]);

    // A key without a list calls fs.write as before: the policy asks the person.
    const other = t.runtime.apiKeys.create({ name: 'Other', scopes: ['tools'] }).key;
    const asked = t.post(other, 'tools.call', { name: 'fs.write', arguments: { path: 'b.txt', content: 'b' } });
    await expect.poll(async () => (await t.runtime.handlers['approvals.pending']({})).length, { timeout: 10_000 }).toBe(1);
    const [approval] = await t.runtime.handlers['approvals.pending']({});
    await t.runtime.handlers['approvals.decide']({ approvalId: approval!.id, choice: 'deny' });
    expect(((await asked).output as DirectCallOutcome).outcome).toBe('denied');
  }, 60_000);

  it("is given the prompts and resources only of the servers it reaches a tool of, over the local API and /mcp", async () => {
    const t = await start();
    const fsOnly = t.runtime.apiKeys.create({ name: 'Files', scopes: ['tools'], tools: ['fs.*'] }).key;
    // It may call none of chaos' tools: chaos' prompts and resources are not its to see or fill in.
    expect(await t.post(fsOnly, 'prompts.list', {})).toMatchObject({ ok: true, output: { prompts: [], problems: [] } });
    expect(await t.post(fsOnly, 'resources.list', {})).toMatchObject({ ok: true, output: { resources: [], problems: [] } });
    const refused = await t.post(fsOnly, 'prompts.get', { server: 'chaos', name: 'leaky', arguments: { topic: 'x' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(refused.error!.message).toMatch(/^The chaos server's prompt leaky is not given to key "Files": it may call none of that server's tools \(only fs\.\*\)/);
    expect(await t.post(fsOnly, 'prompts.complete', { server: 'chaos', name: 'leaky', argument: 'topic', value: 'x', arguments: {} })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const client = await t.connect(fsOnly);
    expect((await client.listPrompts()).prompts).toEqual([]);
    // Over /mcp it is answered as a prompt no server offers, so the key cannot tell the prompts of the servers it
    // does not reach from names that do not exist; nor are its arguments completed for it.
    const notOffered = await mcpRefusal(client.getPrompt({ name: 'chaos_nope' }), 'chaos_nope');
    expect(notOffered.message).toMatch(/^MCP error -32602: No server offers a prompt named "<asked>"/);
    expect(await mcpRefusal(client.getPrompt({ name: 'chaos_leaky', arguments: { topic: 'x' } }), 'chaos_leaky')).toEqual(notOffered);
    const completed = (name: string) => client.complete({ ref: { type: 'ref/prompt', name }, argument: { name: 'topic', value: 'x' } });
    expect(await mcpRefusal(completed('chaos_leaky'), 'chaos_leaky')).toEqual(await mcpRefusal(completed('chaos_nope'), 'chaos_nope'));
    // Each refusal is on the audit chain, as a refused call or resource read is.
    const refusal = { server: 'chaos', prompt: 'leaky', caller: 'key "Files"', reason: expect.stringContaining('may call none of that server\'s tools') };
    expect(refusalsOnRecord(t.dataDir)).toEqual([
      { ...refusal, channel: 'prompts.get' },
      { ...refusal, channel: 'prompts.complete' },
      { ...refusal, channel: 'mcp', client: 'Cursor' },
      { ...refusal, channel: 'mcp', client: 'Cursor' },
    ]);
    expect((await client.listResources()).resources).toEqual([]);

    // One of chaos' tools gives it chaos' prompts; its resources need chaos.read_resource, which reads them.
    const echo = t.runtime.apiKeys.create({ name: 'Echo', scopes: ['tools'], tools: ['chaos.echo'] }).key;
    expect(((await t.post(echo, 'prompts.list', {})).output as { prompts: { server: string; name: string }[] }).prompts.map((p) => `${p.server}.${p.name}`)).toContain('chaos.leaky');
    expect(await t.post(echo, 'prompts.get', { server: 'chaos', name: 'leaky', arguments: { topic: 'x' } })).toMatchObject({ ok: true });
    expect((await (await t.connect(echo)).listPrompts()).prompts.map((p) => p.name)).toContain('chaos_leaky');
    expect(await t.post(echo, 'resources.list', {})).toMatchObject({ ok: true, output: { resources: [] } });
    const reader = t.runtime.apiKeys.create({ name: 'Reader', scopes: ['tools'], tools: ['chaos.read_resource'] }).key;
    expect(((await t.post(reader, 'resources.list', {})).output as { resources: { uri: string }[] }).resources.map((r) => r.uri)).toContain('file:///leaky/readme.md');

    // A key without a list is as before: every server's.
    const other = t.runtime.apiKeys.create({ name: 'Other', scopes: ['tools'] }).key;
    expect(((await t.post(other, 'prompts.list', {})).output as { prompts: { name: string }[] }).prompts.map((p) => p.name)).toContain('leaky');
    expect(((await t.post(other, 'resources.list', {})).output as { resources: { uri: string }[] }).resources.map((r) => r.uri)).toContain('file:///leaky/readme.md');
  }, 60_000);

  it('is made with the CLI and the local API, shown in keys list, and refused with the chat or admin scope', async () => {
    const t = await start();
    const lines: string[] = [];
    const out = (line: string) => void lines.push(line);
    expect(await keysCommand({ values: { 'data-dir': t.dataDir, name: 'Cursor', scope: ['tools'], tools: 'fs.read,chaos.e*', json: true }, positionals: ['create'], out })).toBe(0);
    const created = JSON.parse(lines.pop()!) as ApiKeyInfoDto & { key: string };
    expect(created.tools).toEqual(['fs.read', 'chaos.e*']);
    // The key the CLI made holds on the running host.
    expect((await (await t.connect(created.key)).listTools()).tools.map((tool) => tool.name).sort()).toEqual(['chaos_echo', 'chaos_escapes', 'fs_read']);

    await keysCommand({ values: { 'data-dir': t.dataDir }, positionals: ['list'], out });
    expect(lines.pop()).toMatch(new RegExp(`^${created.id}  active   Cursor  \\[tools\\]  tools fs\\.read,chaos\\.e\\*  never expires$`, 'm'));
    await expect(keysCommand({ values: { 'data-dir': t.dataDir, name: 'Chatty', scope: ['chat'], tools: 'fs.read' }, positionals: ['create'], out })).rejects.toThrow(CliUsageError);

    const admin = t.runtime.apiKeys.create({ name: 'admin', scopes: ['admin'] }).key;
    const viaApi = await t.post(admin, 'apiKeys.create', { name: 'Script', scopes: ['tools'], tools: ['fs.*'] });
    expect(viaApi).toMatchObject({ ok: true, output: { info: { name: 'Script', tools: ['fs.*'] } } });
    const chatty = await t.post(admin, 'apiKeys.create', { name: 'Chatty', scopes: ['chat'], tools: ['fs.read'] });
    expect(chatty).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(chatty.error!.message).toContain('cannot also have the "chat" scope');
    expect(((await t.post(admin, 'apiKeys.list', {})).output as ApiKeyInfoDto[]).map((key) => [key.name, key.tools])).toEqual([
      ['Cursor', ['fs.read', 'chaos.e*']], ['admin', null], ['Script', ['fs.*']],
    ]);
  }, 60_000);
});
