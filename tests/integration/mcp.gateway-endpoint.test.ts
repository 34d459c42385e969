import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { DECIDED_BY_META_KEY, TRACE_META_KEY, UNTRUSTED_META_KEY } from '../../src/server/mcp-tool-result';
import { chaosServer, MemorySecretStore, writeMcpConfig } from '../helpers/mcp';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const CANARY = 'canary-mcp-gateway-3c8d1b90ee';

/** A Portcullis with one sandboxed MCP server (the chaos fixture) and its `/mcp` endpoint, and every body it sent. */
async function start(servers: Record<string, unknown> = {}) {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, { chaos: { command: process.execPath, args: [chaosServer] }, ...servers });
  const t = startTestRuntime({ dataDir, secretStore: new MemorySecretStore({ 'provider.openai': CANARY }) });
  await t.runtime.mcp.settled();
  const server = await startHeadlessServer({ runtime: t.runtime, mcpProgressEveryMs: 100 });
  onTestFinished(() => server.close());
  const url = new URL(`http://127.0.0.1:${server.port}/mcp`);
  const bodies: Promise<string>[] = [];
  const connect = async (key: string, name = 'test-client') => {
    const client = new Client({ name, version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
      // Every answer is kept to look for the canary in; a stream still open is read as far as it came.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const copy = response.clone();
        bodies.push(Promise.race([copy.text().catch(() => ''), new Promise<string>((resolve) => setTimeout(() => resolve(''), 2_000))]));
        return response;
      },
    });
    await client.connect(transport);
    onTestFinished(() => client.close());
    return client;
  };
  const key = t.runtime.apiKeys.create({ name: 'cursor', scopes: ['chat'] }).key;
  return { ...t, url, connect, key, bodies };
}

/** The client's conversation of the day: "test-client · MCP, key "cursor" · 25 Nov". */
const DAY_TITLE = /^test-client · MCP, key "cursor" · \d{1,2} \w{3}$/;

describe('Portcullis as the governed MCP gateway of another MCP client (/mcp, Streamable HTTP)', () => {
  it('lists the tools it offers, built-in and MCP, with their annotations, and calls them through the governed path', async () => {
    const t = await start();
    writeFileSync(join(t.workspace, 'a.txt'), 'alpha');
    const client = await t.connect(t.key);
    expect(client.getServerVersion()).toMatchObject({ name: 'portcullis' });
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    // Named as Claude's and OpenAI's APIs take them (a dot would make Claude Desktop refuse every tool), titled as Portcullis names them.
    expect(tools.every((tool) => /^[A-Za-z0-9_-]{1,64}$/.test(tool.name))).toBe(true);
    expect(byName.get('fs_read')).toMatchObject({ title: 'Read file', description: expect.any(String), inputSchema: { type: 'object', properties: { path: expect.any(Object) } }, annotations: { readOnlyHint: true } });
    expect(byName.get('chaos_echo')).toMatchObject({ title: 'chaos.echo', description: 'Echo the message.', annotations: { readOnlyHint: true }, inputSchema: { type: 'object', required: ['message'] } });

    const read = (await client.callTool({ name: 'fs_read', arguments: { path: 'a.txt' } })) as CallToolResult;
    expect(read.isError).toBeFalsy();
    expect(resultText(read)).toContain('alpha');
    const traceId = read._meta?.[TRACE_META_KEY] as string;
    const spans = await t.runtime.handlers['traces.spans']({ traceId });
    expect(spans.map((s) => s.name)).toContain('execute_tool fs.read');
    // The trace says who called, as a collector it is exported to reads it: the key, the client and its session.
    expect(spans.find((s) => s.parentSpanId === null)?.attributes).toMatchObject({
      'portcullis.caller': 'key "cursor"', 'portcullis.caller.channel': 'mcp', 'mcp.method.name': 'tools/call', 'mcp.session.id': expect.stringMatching(/^[0-9a-f-]{36}$/), 'portcullis.mcp_client.name': 'test-client', 'portcullis.mcp_client.version': '1.0.0',
    });

    const echo = (await client.callTool({ name: 'chaos_echo', arguments: { message: 'through the gateway' } })) as CallToolResult;
    expect(echo.isError).toBeFalsy();
    expect(resultText(echo)).toContain('through the gateway');
    // A client that takes dots may use Portcullis' own name.
    expect(resultText(await client.callTool({ name: 'chaos.echo', arguments: { message: 'dotted' } }))).toContain('dotted');
    // An MCP server's words are said to be untrusted, as they are to Portcullis' own model; a workspace file's are not.
    expect(echo._meta).toMatchObject({ [UNTRUSTED_META_KEY]: true });
    expect(read._meta?.[UNTRUSTED_META_KEY]).toBeUndefined();
    // On the audit chain too, which the person cannot rename: who asked for which tool, in which conversation.
    const audit = new BetterSqlite3(join(t.dataDir, 'portcullis.db'), { readonly: true });
    onTestFinished(() => void audit.close());
    const asked = audit.prepare(`SELECT conversation_id AS conversationId, data_json AS data FROM audit_log WHERE kind = 'direct_call.made' ORDER BY seq`).all() as { conversationId: string; data: string }[];
    expect(asked.map((row) => JSON.parse(row.data) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ tool: 'fs.read', 'portcullis.caller': 'key "cursor"', 'portcullis.caller.channel': 'mcp', 'portcullis.mcp_client.name': 'test-client', 'mcp.session.id': expect.any(String) }),
      expect.objectContaining({ tool: 'chaos.echo', 'portcullis.caller': 'key "cursor"' }),
      expect.objectContaining({ tool: 'chaos.echo' }),
    ]);
    // Recorded in the person's history as the client's calls, by its name and key: one conversation for its calls of
    // the day. Each request says what was asked; who asked is its header (the author), said once in the note.
    const conversations = await t.runtime.handlers['conversations.list']({});
    expect(conversations.map((c) => c.title)).toEqual([expect.stringMatching(DAY_TITLE)]);
    const messages = await t.runtime.handlers['messages.list']({ conversationId: conversations[0]!.id });
    expect(messages.filter((m) => m.role === 'user').map((m) => [m.author, m.content])).toEqual([
      ['test-client (MCP, key "cursor")', 'tools/call fs.read {"path":"a.txt"}'],
      ['test-client (MCP, key "cursor")', 'tools/call chaos.echo {"message":"through the gateway"}'],
      ['test-client (MCP, key "cursor")', 'tools/call chaos.echo {"message":"dotted"}'],
    ]);
    expect(messages.find((m) => m.role === 'assistant' && m.content.startsWith('Called by'))?.content).toContain('test-client (MCP client, key "cursor")');
  }, 60_000);

  it('does not say a result is untrusted when its server\'s output is trusted, unless what the call reached taints it, an error too', async () => {
    // The chaos fixture again, sandboxed and offline, marked "trustedOutput" by the person.
    const t = await start({ notes: { command: process.execPath, args: [chaosServer], trustedOutput: true } });
    expect(t.runtime.mcp.status().find((s) => s.name === 'notes')).toMatchObject({ state: 'connected', outputTrusted: true });
    const client = await t.connect(t.key);
    const echo = (await client.callTool({ name: 'notes_echo', arguments: { message: 'mine' } })) as CallToolResult;
    expect(resultText(echo)).toContain('mine');
    expect(echo._meta?.[UNTRUSTED_META_KEY]).toBeUndefined();
    const failed = (await client.callTool({ name: 'notes_fail', arguments: {} })) as CallToolResult;
    expect(failed.isError).toBe(true);
    expect(failed._meta?.[UNTRUSTED_META_KEY]).toBeUndefined();
    // A web address in its arguments: what came back may be from there, a result or an error alike.
    const fetched = (await client.callTool({ name: 'notes_echo', arguments: { message: 'https://evil.example.com/issue' } })) as CallToolResult;
    expect(fetched._meta).toMatchObject({ [UNTRUSTED_META_KEY]: true });
    const failedFetch = (await client.callTool({ name: 'notes_fail', arguments: { url: 'https://evil.example.com/issue' } })) as CallToolResult;
    expect(failedFetch.isError).toBe(true);
    expect(failedFetch._meta).toMatchObject({ [UNTRUSTED_META_KEY]: true });
    // The failed call's taint is recorded as a result's would be.
    const db = new BetterSqlite3(join(t.dataDir, 'portcullis.db'), { readonly: true });
    onTestFinished(() => void db.close());
    expect(db.prepare('SELECT description FROM taint_sources ORDER BY rowid').pluck().all()).toEqual([
      'web content from evil.example.com (via notes.echo)',
      'web content from evil.example.com (via notes.fail)',
    ]);
    const [conversation] = await t.runtime.handlers['conversations.list']({});
    const messages = await t.runtime.handlers['messages.list']({ conversationId: conversation!.id });
    expect(messages.filter((m) => m.toolCall).map((m) => m.toolCall!.untrusted === true)).toEqual([false, false, true, true]);
  }, 60_000);

  it('answers a denied call, a mistyped tool and refused arguments as isError with words that say why', async () => {
    const t = await start();
    writeFileSync(join(t.workspace, '.env'), `OPENAI_API_KEY=${CANARY}`);
    const client = await t.connect(t.key);
    const denied = (await client.callTool({ name: 'fs_read', arguments: { path: '.env' } })) as CallToolResult;
    expect(denied.isError).toBe(true);
    expect(resultText(denied)).toMatch(/^Portcullis did not run fs_read: Denied by policy rule deny\.secrets: .*\(POLICY_DENIED\)$/);
    const mistyped = (await client.callTool({ name: 'chaos_ecko', arguments: { message: 'x' } })) as CallToolResult;
    expect(mistyped.isError).toBe(true);
    expect(resultText(mistyped)).toContain('Did you mean chaos_echo?');
    const refused = (await client.callTool({ name: 'chaos_echo', arguments: {} })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(resultText(refused)).toMatch(/^TOOL_ARGUMENTS_INVALID: .*message/);
  }, 60_000);

  it('keeps a call that waits for the person alive with progress, and runs it once they allow it', async () => {
    const t = await start();
    const client = await t.connect(t.key);
    const progress: Progress[] = [];
    const call = client.callTool({ name: 'fs_write', arguments: { path: 'out.txt', content: 'hi' } }, undefined, { onprogress: (p) => progress.push(p), resetTimeoutOnProgress: true });
    const [request] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    expect((await t.runtime.handlers['conversations.list']({})).find((c) => c.id === request!.conversationId)?.title).toMatch(DAY_TITLE);
    await until('progress while it waits', () => progress.length, (n) => n >= 2);
    expect(progress[0]!.message).toBe('Waiting for the person to approve fs.write in Portcullis');
    await t.runtime.handlers['approvals.decide']({ approvalId: request!.id, choice: 'allow_once' });
    const result = (await call) as CallToolResult;
    expect(result.isError).toBeFalsy();
    // Who answered, for a program as tools call --json and the trace say it, a refusal's too (its text says it in words).
    expect(result._meta).toMatchObject({ [DECIDED_BY_META_KEY]: 'person: allow_once' });
    const refused = client.callTool({ name: 'fs_write', arguments: { path: 'no.txt', content: 'no' } });
    const [second] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    await t.runtime.handlers['approvals.decide']({ approvalId: second!.id, choice: 'deny' });
    const denied = (await refused) as CallToolResult;
    expect(resultText(denied)).toContain('The person denied fs_write');
    expect(denied._meta).toMatchObject({ [DECIDED_BY_META_KEY]: 'person: deny' });
    // Nothing was asked: nothing to say.
    expect((await client.callTool({ name: 'fs_list', arguments: { path: '.' } }))._meta).not.toHaveProperty(DECIDED_BY_META_KEY);
  }, 60_000);

  it("passes on the progress the server that runs the tool reports, with Portcullis' beats, as one rising series", async () => {
    const t = await start();
    const client = await t.connect(t.key);
    const progress: Progress[] = [];
    // withAnswer: the server writes its last step and its answer at once, as a quick server does.
    const result = (await client.callTool({ name: 'chaos_progress', arguments: { steps: 4, everyMs: 250, withAnswer: true } }, undefined, { onprogress: (p) => progress.push(p) })) as CallToolResult;
    expect(resultText(result)).toBe('done after 4 steps');
    // The server's own words, each step of it, in order, the last one too; between them (quieter than the beat)
    // Portcullis' beat.
    const steps = progress.filter((p) => p.message?.startsWith('step')).map((p) => p.message);
    expect(steps).toEqual(['step 1', 'step 2', 'step 3', 'step 4']);
    expect(progress.at(-1)?.progress).toBe(progress.at(-1)?.total);
    expect(progress.some((p) => p.message === 'chaos.progress is running in Portcullis')).toBe(true);
    const values = progress.map((p) => p.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
    expect(progress.every((p) => p.total === undefined || p.progress <= p.total)).toBe(true);
  }, 60_000);

  it('tells the client when the person edited its arguments before allowing the call, so its model does not take them for its own', async () => {
    const t = await start();
    const client = await t.connect(t.key);
    const call = client.callTool({ name: 'fs_write', arguments: { path: 'plan.txt', content: 'what the client wanted' } });
    const [request] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    await t.runtime.handlers['approvals.decide']({ approvalId: request!.id, choice: 'allow_once', arguments: { path: 'plan.txt', content: 'what the person wrote' } });
    const result = (await call) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.content[0]).toEqual({ type: 'text', text: 'The person edited the arguments in Portcullis before allowing fs_write; it ran with {"path":"plan.txt","content":"what the person wrote"}, not with the arguments you sent.' });
    expect(readFileSync(join(t.workspace, 'plan.txt'), 'utf8')).toBe('what the person wrote');
    // Allowed as sent: nothing said.
    const plain = client.callTool({ name: 'fs_write', arguments: { path: 'plain.txt', content: 'as sent' } });
    const [second] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    await t.runtime.handlers['approvals.decide']({ approvalId: second!.id, choice: 'allow_once' });
    expect(resultText(await plain)).not.toContain('edited');
  }, 60_000);

  it('lets "Allow for this conversation" hold for the client\'s calls of the day, its next session\'s too, and for no other client, until it reads untrusted content', async () => {
    // A server that may reach a domain: its read-only tools are open-world, their output untrusted.
    const t = await start({ web: { command: process.execPath, args: [chaosServer], sandbox: { allowedDomains: ['example.com'] } } });
    const client = await t.connect(t.key);
    const first = client.callTool({ name: 'fs_write', arguments: { path: 'one.txt', content: '1' } });
    const [request] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    expect(request!.soleCall).toBeUndefined();
    // Said as what it covers: the client's calls of today, from any of its sessions.
    expect(request!.callerOfTheDay).toBe('test-client');
    await t.runtime.handlers['approvals.decide']({ approvalId: request!.id, choice: 'allow_conversation' });
    expect(((await first) as CallToolResult).isError).toBeFalsy();
    // The same session: allowed, nobody asked.
    expect(((await client.callTool({ name: 'fs_write', arguments: { path: 'two.txt', content: '2' } })) as CallToolResult).isError).toBeFalsy();
    // Its next session (Claude Code opens one per launch) is the same caller that day: its conversation, allowed.
    const next = await t.connect(t.key);
    expect(((await next.callTool({ name: 'fs_write', arguments: { path: 'three.txt', content: '3' } })) as CallToolResult).isError).toBeFalsy();
    expect((await t.runtime.handlers['conversations.list']({})).map((c) => c.id)).toEqual([request!.conversationId]);
    // Once either read what an open-world tool said, a call that changes things asks again, naming why, in both.
    expect(((await next.callTool({ name: 'web_echo', arguments: { message: 'a web page' } })) as CallToolResult).isError).toBeFalsy();
    const tainted = client.callTool({ name: 'fs_write', arguments: { path: 'four.txt', content: '4' } });
    const [asked] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    expect(asked).toMatchObject({ conversationId: request!.conversationId, taint: [expect.objectContaining({ toolName: 'web.echo' })] });
    await t.runtime.handlers['approvals.decide']({ approvalId: asked!.id, choice: 'deny' });
    expect(((await tainted) as CallToolResult).isError).toBe(true);
    // Another client with the same key is another caller: its own conversation, asked again.
    const other = await t.connect(t.key, 'other-agent');
    const fifth = other.callTool({ name: 'fs_write', arguments: { path: 'five.txt', content: '5' } });
    const [again] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    expect(again!.conversationId).not.toBe(request!.conversationId);
    expect((await t.runtime.handlers['conversations.list']({})).find((c) => c.id === again!.conversationId)?.title).toMatch(/^other-agent · MCP, key "cursor" · /);
    await t.runtime.handlers['approvals.decide']({ approvalId: again!.id, choice: 'deny' });
    expect(((await fifth) as CallToolResult).isError).toBe(true);
  }, 60_000);

  it("cancels the governed call when the client cancels its request: the approval it waited for is withdrawn", async () => {
    const t = await start();
    const client = await t.connect(t.key);
    const abort = new AbortController();
    const call = client.callTool({ name: 'fs_write', arguments: { path: 'never.txt', content: 'x' } }, undefined, { signal: abort.signal });
    call.catch(() => undefined);
    const [request] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    abort.abort('the person moved on');
    await expect(call).rejects.toThrow();
    await until('the approval withdrawn', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 0);
    const messages = await until('the call recorded', () => t.runtime.handlers['messages.list']({ conversationId: request!.conversationId }), (list) => list.length === 4);
    expect(messages[2]!.toolCall).toMatchObject({ status: 'denied', error: { code: 'TOOL_CANCELLED', message: expect.stringContaining('test-client cancelled the call') } });
  }, 60_000);

  it('tells the client when the tools change, and stops listing a tool held back', async () => {
    const t = await start();
    const client = await t.connect(t.key);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('chaos_echo');
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (changed += 1));
    // The server rewrites echo's description: held back until the person approves the change.
    expect((await client.callTool({ name: 'chaos_rug_pull', arguments: {} })).isError).toBeFalsy();
    await until('tools/list_changed', () => changed, (n) => n >= 1);
    expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain('chaos_echo');
    // Called by the name the client was given, it is said to be held back and where to review it, not unknown.
    const held = (await client.callTool({ name: 'chaos_echo', arguments: { message: 'x' } })) as CallToolResult;
    expect(held.isError).toBe(true);
    // Its code is its own, and the command that decides it takes Portcullis' name.
    expect(resultText(held)).toBe('TOOL_HELD_BACK: chaos_echo is held back: the chaos server changed its definition since you approved it. Review the change on the Tools & servers page or with `portcullis tools list`; `portcullis tools approve chaos.echo --hash …` (the hash it prints there) or `reject` decides it.');
    // So is a tool the server added later, never listed to the client.
    expect((await client.callTool({ name: 'chaos_grow', arguments: {} })).isError).toBeFalsy();
    // Called once Portcullis has listed the server's tools again (its tools/list_changed is handled apart from the call).
    await until('send_notes listed and held back', async () => t.runtime.mcp.heldBack().map((tool) => tool.name), (names) => names.includes('chaos.send_notes'));
    expect(resultText(await client.callTool({ name: 'chaos_send_notes', arguments: { to: 'x' } }))).toContain('chaos_send_notes is held back: the chaos server added it after you approved its tools.');
  }, 60_000);

  it('refuses a client without a key (401) or without the tools scope (403), and never sends a secret', async () => {
    const t = await start();
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
    const post = (headers: Record<string, string>) =>
      fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(initialize) });
    expect((await post({})).status).toBe(401);
    await expect(t.connect('pck_not-a-key')).rejects.toThrow();
    const tracesOnly = t.runtime.apiKeys.create({ name: 'reader', scopes: ['traces:read'] }).key;
    const refused = await post({ authorization: `Bearer ${tracesOnly}` });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('lacks the \\"tools\\" scope needed to call tools. Create a key with that scope (portcullis keys create --scope tools).');
    // A key with `tools` alone serves an MCP client, and reads nothing of the person's: conversations, memories, model.
    const toolsOnly = t.runtime.apiKeys.create({ name: 'Cursor tools', scopes: ['tools'] }).key;
    const toolsClient = await t.connect(toolsOnly);
    expect(resultText(await toolsClient.callTool({ name: 'chaos_echo', arguments: { message: 'tools only' } }))).toBe('echo: tools only');
    // Nor through the built-in memory tools (memory.search with scope "all" reads every conversation, unasked).
    expect((await toolsClient.listTools()).tools.map((tool) => tool.name).filter((name) => name.startsWith('memory_'))).toEqual([]);
    const searched = (await toolsClient.callTool({ name: 'memory_search', arguments: { query: 'key', scope: 'all' } })) as CallToolResult;
    expect(searched.isError).toBe(true);
    expect(resultText(searched)).toBe('FORBIDDEN: memory_search reads or changes the person\'s own memories and conversations, which a key with the "tools" scope alone does not reach; it needs the "chat" scope.');
    expect((await (await t.connect(t.key)).listTools()).tools.map((tool) => tool.name)).toContain('memory_search');
    for (const channel of ['conversations.list', 'memories.list', 'search.query', 'chat.send']) {
      const api = await fetch(new URL(`/api/${channel}`, t.url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${toolsOnly}` }, body: '{}' });
      expect(api.status).toBe(403);
    }
    // Another site's page cannot reach it (DNS rebinding, cross-site requests), as the rest of the API.
    expect((await post({ authorization: `Bearer ${t.key}`, origin: 'https://evil.example' })).status).toBe(403);

    writeFileSync(join(t.workspace, 'notes.txt'), `the key is ${CANARY}`);
    const client = await t.connect(t.key);
    await client.listTools();
    expect(resultText(await client.callTool({ name: 'fs_read', arguments: { path: 'notes.txt' } }))).toContain('the key is');
    await client.callTool({ name: 'chaos_echo', arguments: { message: `say ${CANARY}` } });
    const sent = (await Promise.all(t.bodies)).join('\n');
    expect(sent).toContain('the key is');
    expect(sent).not.toContain(CANARY);
  }, 60_000);
});
