import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { TRACE_META_KEY, UNTRUSTED_META_KEY } from '../../src/server/mcp-tool-result';
import { mcpRefusal } from '../helpers/local-api-client';
import { chaosServer, mcpBin, MemorySecretStore, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const CANARY = 'canary-gateway-prompt-7f31c2';

/**
 * A Portcullis with server-everything (prompts, resources) and a chaos server whose prompt repeats the secret it
 * was given, its `/mcp` endpoint, and an SDK client for a `chat` key; every body sent to the client is kept.
 */
async function start() {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, {
    everything: { command: mcpBin('everything') },
    chaos: { command: process.execPath, args: [chaosServer, '--prompts', 'leaky'], env: { CHAOS_TOKEN: 'secret:CHAOS_TOKEN' } },
  });
  const t = startTestRuntime({ dataDir, secretStore: new MemorySecretStore({ CHAOS_TOKEN: CANARY }) });
  await t.runtime.mcp.settled();
  const server = await startHeadlessServer({ runtime: t.runtime });
  onTestFinished(() => server.close());
  const bodies: Promise<string>[] = [];
  const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${server.port}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${t.runtime.apiKeys.create({ name: 'Claude Code', scopes: ['chat'] }).key}` } },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      bodies.push(Promise.race([response.clone().text().catch(() => ''), new Promise<string>((resolve) => setTimeout(() => resolve(''), 2_000))]));
      return response;
    },
  });
  const client = new Client({ name: 'claude-code', version: '2.0.0' });
  await client.connect(transport);
  onTestFinished(() => client.close());
  /** Another client, for a key limited to `tools`. */
  const connect = async (tools: string[]) => {
    const key = t.runtime.apiKeys.create({ name: 'Limited', scopes: ['tools'], tools }).key;
    const limited = new Client({ name: 'cursor', version: '1.0.0' });
    await limited.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${server.port}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    onTestFinished(() => limited.close());
    return limited;
  };
  return { ...t, client, bodies, connect };
}

describe("the prompts and resources of the servers behind Portcullis, passed on to an MCP client (/mcp)", () => {
  it('lists the prompts by server and fills one in as the key may, the text marked as the server’s', async () => {
    const t = await start();
    expect(t.client.getServerCapabilities()).toMatchObject({ prompts: {}, resources: {} });
    const { prompts } = await t.client.listPrompts();
    const byName = new Map(prompts.map((prompt) => [prompt.name, prompt]));
    expect(byName.get('everything_args-prompt')).toMatchObject({ title: expect.stringContaining('(everything)'), arguments: [expect.objectContaining({ name: 'city', required: true }), expect.objectContaining({ name: 'state' })] });
    const filled = await t.client.getPrompt({ name: 'everything_args-prompt', arguments: { city: 'Lyon' } });
    expect(filled.messages).toEqual([{ role: 'user', content: { type: 'text', text: expect.stringContaining('Lyon') } }]);
    expect(filled._meta).toMatchObject({ [UNTRUSTED_META_KEY]: true });
    // A prompt no server offers is refused with what to do.
    await expect(t.client.getPrompt({ name: 'everything_nope' })).rejects.toThrow(/^MCP error -32602: No server offers a prompt named "everything_nope" now/);
    // A prompt that repeats its server's secret reaches the client masked.
    const leaky = prompts.find((prompt) => prompt.name === 'chaos_leaky');
    expect(leaky).toBeDefined();
    await t.client.getPrompt({ name: 'chaos_leaky', arguments: { topic: 'x' } });
    const sent = (await Promise.all(t.bodies)).join('\n');
    expect(sent).toContain('chaos_leaky');
    expect(sent).not.toContain(CANARY);
  }, 60_000);

  it("completes a prompt's argument with its server's suggestions, the other arguments narrowing them (completion/complete)", async () => {
    const t = await start();
    expect(t.client.getServerCapabilities()).toMatchObject({ completions: {} });
    const complete = (argument: string, value: string, context?: Record<string, string>) =>
      t.client.complete({ ref: { type: 'ref/prompt', name: 'everything_completable-prompt' }, argument: { name: argument, value }, ...(context ? { context: { arguments: context } } : {}) });
    expect((await complete('department', 'S')).completion).toEqual({ values: ['Sales', 'Support'], hasMore: false });
    // The server narrows by the arguments filled in so far, which are passed on.
    expect((await complete('name', '', { department: 'Engineering' })).completion.values).toEqual(['Alice', 'Bob', 'Charlie']);
    expect((await complete('name', '')).completion.values).toEqual([]);
    // A prompt no server offers is refused as prompts/get refuses it.
    await expect(t.client.complete({ ref: { type: 'ref/prompt', name: 'everything_nope' }, argument: { name: 'x', value: '' } })).rejects.toThrow(/^MCP error -32602: No server offers a prompt named "everything_nope" now/);
  }, 60_000);

  it("lists the servers' resource templates, completes their variables and reads a URI of one through its server's read_resource", async () => {
    const t = await start();
    const { resourceTemplates } = await t.client.listResourceTemplates();
    const template = 'demo://resource/dynamic/text/{resourceId}';
    expect(resourceTemplates.find((r) => r.uriTemplate === template)).toMatchObject({ name: 'Dynamic Text Resource', mimeType: 'text/plain' });
    // Its variable completed by its server (server-everything suggests a whole number as typed, nothing else).
    const complete = (value: string) => t.client.complete({ ref: { type: 'ref/resource', uri: template }, argument: { name: 'resourceId', value } });
    expect((await complete('7')).completion).toEqual({ values: ['7'], hasMore: false });
    expect((await complete('x')).completion.values).toEqual([]);
    await expect(t.client.complete({ ref: { type: 'ref/resource', uri: 'demo://nowhere/{id}' }, argument: { name: 'id', value: '' } })).rejects.toThrow(
      /^MCP error -32602: No server behind Portcullis offers the resource template demo:\/\/nowhere\/\{id\} now/,
    );
    // One of its URIs is read as a listed one is: a governed call of its server's read_resource.
    const read = await t.client.readResource({ uri: 'demo://resource/dynamic/text/7' });
    expect(read.contents).toEqual([expect.objectContaining({ uri: 'demo://resource/dynamic/text/7', text: expect.stringContaining('7') })]);
    expect(read._meta).toMatchObject({ [UNTRUSTED_META_KEY]: true, [TRACE_META_KEY]: expect.stringMatching(/^[0-9a-f]{32}$/) });
    // A key that may not call everything.read_resource is given none of its templates, nor their completions.
    const echo = await t.connect(['everything.echo']);
    expect((await echo.listResourceTemplates()).resourceTemplates).toEqual([]);
    // Nor are they completed or read for it: each is answered as one no server offers, so the key cannot tell
    // what the servers it does not reach have from what does not exist.
    const completed = (uriTemplate: string) => echo.complete({ ref: { type: 'ref/resource', uri: uriTemplate }, argument: { name: 'resourceId', value: '7' } });
    const notOffered = await mcpRefusal(completed('demo://nowhere/{resourceId}'), 'demo://nowhere/{resourceId}');
    expect(notOffered.message).toMatch(/^MCP error -32602: No server behind Portcullis offers the resource template <asked> now/);
    expect(await mcpRefusal(completed(template), template)).toEqual(notOffered);
    const notListed = await mcpRefusal(echo.readResource({ uri: 'demo://nowhere/7' }), 'demo://nowhere/7');
    expect(notListed.message).toMatch(/^MCP error -32002: No server behind Portcullis lists the resource <asked> now/);
    expect(await mcpRefusal(echo.readResource({ uri: 'demo://resource/dynamic/text/7' }), 'demo://resource/dynamic/text/7')).toEqual(notListed);
    // Both refusals are on the audit chain, as a refused prompt's are; the names that do not exist are not.
    const db = new BetterSqlite3(join(t.dataDir, 'portcullis.db'), { readonly: true });
    const refused = (db.prepare("SELECT data_json FROM audit_log WHERE kind = 'direct_call.refused' ORDER BY seq").all() as { data_json: string }[]).map((row) => JSON.parse(row.data_json) as Record<string, unknown>);
    db.close();
    expect(refused).toEqual([
      expect.objectContaining({ tool: 'everything.read_resource', channel: 'mcp', uri: template, caller: 'key "Limited"', client: 'cursor' }),
      expect.objectContaining({ tool: 'everything.read_resource', channel: 'mcp', uri: 'demo://resource/dynamic/text/7', caller: 'key "Limited"', client: 'cursor' }),
    ]);
    const reader = await t.connect(['everything.read_resource']);
    expect((await reader.listResourceTemplates()).resourceTemplates.map((r) => r.uriTemplate)).toContain(template);
  }, 60_000);

  it("lists the resources and reads one through its server's governed read_resource, recorded in the session's conversation", async () => {
    const t = await start();
    const { resources } = await t.client.listResources();
    const architecture = resources.find((resource) => resource.uri === 'demo://resource/static/document/architecture.md');
    expect(architecture).toMatchObject({ name: 'architecture.md', mimeType: 'text/markdown' });
    const read = await t.client.readResource({ uri: architecture!.uri });
    expect(read.contents).toEqual([expect.objectContaining({ uri: architecture!.uri, text: expect.stringContaining('#') })]);
    expect(read._meta).toMatchObject({ [UNTRUSTED_META_KEY]: true, [TRACE_META_KEY]: expect.stringMatching(/^[0-9a-f]{32}$/) });
    // Recorded as the call it is, in the session's conversation, which now holds the server's words (tainted).
    const [conversation] = await t.runtime.handlers['conversations.list']({});
    expect(conversation!.title).toMatch(/^claude-code · MCP · \d{1,2} \w{3}$/);
    const messages = await t.runtime.handlers['messages.list']({ conversationId: conversation!.id });
    expect(messages.find((m) => m.toolCall)?.toolCall).toMatchObject({ toolName: 'everything.read_resource', status: 'succeeded', arguments: { uri: architecture!.uri } });
    // As what the client asked for, on the page and in the trace.
    expect(messages[0]!.content).toBe(`resources/read ${architecture!.uri}`);
    const root = (await t.runtime.handlers['traces.spans']({ traceId: read._meta![TRACE_META_KEY] as string })).find((span) => span.parentSpanId === null);
    expect(root?.attributes).toMatchObject({ 'mcp.method.name': 'resources/read' });
    expect((await t.runtime.handlers['approvals.pending']({})).length).toBe(0);
    // A URI no server lists is refused with MCP's "resource not found".
    // (Its words said once: the SDK's McpError would say "MCP error -32002:" twice by the time the client reads it.)
    await expect(t.client.readResource({ uri: 'demo://nowhere' })).rejects.toThrow(/^MCP error -32002: No server behind Portcullis lists the resource demo:\/\/nowhere/);
  }, 60_000);
});
