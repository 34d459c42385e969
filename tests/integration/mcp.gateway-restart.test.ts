import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Redactor } from '../../src/core/redaction/redactor';
import { McpSessionStore } from '../../src/core/storage/stores/mcp-session-store';
import { SESSION_IDLE_LIMIT_MS } from '../../src/server/mcp-kept-sessions';
import { MAX_SESSIONS } from '../../src/server/mcp-sessions';
import { startHeadlessServer } from '../../src/server/headless-server';
import { restartableHost } from '../helpers/restartable-host';
import { startTestRuntime } from '../helpers/test-runtime';
import { until } from '../helpers/until';

/** An SDK client (as Cursor, VS Code, Claude Code are) that records the JSON-RPC methods it sent: a new initialize would show. */
async function connect(url: URL, key: string, name = 'Cursor') {
  const sent: string[] = [];
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
    fetch: (input, init) => {
      if (init?.method === 'POST' && typeof init.body === 'string') sent.push((JSON.parse(init.body) as { method?: string }).method ?? 'answer');
      return fetch(input, init);
    },
  });
  const client = new Client({ name, version: '1.0.0' });
  let listChanged = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (listChanged += 1));
  await client.connect(transport);
  onTestFinished(() => client.close());
  return { client, transport, sent, sessionId: transport.sessionId!, listChanged: () => listChanged };
}

/** The session ids Portcullis keeps for a restart, read from its database file. */
function keptSessions(dataDir: string): string[] {
  const db = new BetterSqlite3(join(dataDir, 'portcullis.db'), { readonly: true });
  try {
    return db.prepare('SELECT id FROM mcp_sessions ORDER BY id').pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** A request in a session as a client sends it: the SDK's own Client would throw on the 404, so it is read raw. */
async function listToolsIn(url: URL, key: string, sessionId: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }),
  });
  await response.text();
  return response.status;
}

/**
 * Makes `sessionId`'s kept row an hour old and adds MAX_SESSIONS newer rows of the key `keyId` that no open session
 * stands for, so that the next session opened trims the rows and the oldest is the open one.
 */
function keepBehindNewerRows(dataDir: string, sessionId: string, keyId: string): void {
  const db = new BetterSqlite3(join(dataDir, 'portcullis.db'));
  try {
    const store = new McpSessionStore(db, new Redactor());
    db.prepare('UPDATE mcp_sessions SET last_seen_at = ? WHERE id = ?').run(Date.now() - 3_600_000, sessionId);
    const initialize = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'agent loop', version: '1' } };
    for (let i = 0; i < MAX_SESSIONS; i++) {
      store.save({ id: `left-behind-${i}`, principal: { kind: 'api-key', id: `key:${keyId}`, scopes: ['tools'] }, initialize, tools: null, conversationId: null, openedAt: Date.now() - 60_000 + i, lastSeenAt: Date.now() - 60_000 + i });
    }
  } finally {
    db.close();
  }
}

const failed = (result: unknown): boolean => (result as CallToolResult).isError === true;

describe('MCP sessions across a restart of Portcullis (/mcp)', () => {
  it("serves a connected client's next call after a restart in the same session and conversation, without a new initialize", async () => {
    const host = restartableHost();
    let t = await host.start();
    const key = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'] }).key;
    const { client, transport, sent, sessionId, listChanged } = await connect(host.url, key);
    const first = client.callTool({ name: 'fs_write', arguments: { path: 'one.txt', content: '1' } });
    const [request] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    await t.runtime.handlers['approvals.decide']({ approvalId: request!.id, choice: 'allow_conversation' });
    expect(failed(await first)).toBe(false);

    await host.stop();
    t = await host.start();

    // The person allowed fs_write for that session's conversation: it still holds, nobody is asked.
    expect(failed(await client.callTool({ name: 'fs_write', arguments: { path: 'two.txt', content: '2' } }))).toBe(false);
    expect(transport.sessionId).toBe(sessionId);
    expect(sent.filter((method) => method === 'initialize')).toHaveLength(1);
    // The tools may have changed while Portcullis was closed (an update, mcp.json edited): the client is told on
    // the call's own stream, as its GET stream may be gone; once it listed them, not again.
    expect(listChanged()).toBe(1);
    await client.listTools();
    await client.callTool({ name: 'fs_list', arguments: { path: '.' } });
    expect(listChanged()).toBe(1);
    const conversations = await t.runtime.handlers['conversations.list']({});
    expect(conversations.filter((c) => c.title.startsWith('Cursor · MCP · ')).map((c) => c.id)).toEqual([request!.conversationId]);
    const messages = await t.runtime.handlers['messages.list']({ conversationId: request!.conversationId });
    expect(messages.filter((m) => m.role === 'tool').length).toBe(3);
    // The session is what its client initialized: its name still names the calls.
    expect(conversations.find((c) => c.id === request!.conversationId)?.title).toMatch(/^Cursor · /);
  }, 60_000);

  it('does not take up again the session of a key revoked, or changed to lack the tools scope, nor one unused for a week, and forgets them', async () => {
    const host = restartableHost();
    let t = await host.start();
    const make = (name: string) => t.runtime.apiKeys.create({ name, scopes: ['tools'] });
    const [kept, revoked, narrowed, idle] = [make('Cursor'), make('Goose'), make('VS Code'), make('Claude Code')];
    const clients = await Promise.all([kept, revoked, narrowed, idle].map(async (made) => {
      const connected = await connect(host.url, made.key, made.info.name);
      expect(failed(await connected.client.callTool({ name: 'fs_list', arguments: { path: '.' } }))).toBe(false);
      return connected;
    }));
    t.runtime.apiKeys.revoke(revoked.info.id);
    t.runtime.apiKeys.update(narrowed.info.id, { scopes: ['traces:read'] });
    await host.stop();
    // Claude Code's last request was eight days ago.
    const db = new BetterSqlite3(join(host.dataDir, 'portcullis.db'));
    db.prepare('UPDATE mcp_sessions SET last_seen_at = ? WHERE id = ?').run(Date.now() - SESSION_IDLE_LIMIT_MS - 86_400_000, clients[3]!.sessionId);
    db.close();
    t = await host.start();

    expect(keptSessions(host.dataDir)).toEqual([clients[0]!.sessionId]);
    expect(failed(await clients[0]!.client.callTool({ name: 'fs_list', arguments: { path: '.' } }))).toBe(false);
    await expect(clients[1]!.client.callTool({ name: 'fs_list', arguments: { path: '.' } })).rejects.toThrow(/this API key was revoked/);
    expect(await listToolsIn(host.url, narrowed.key, clients[2]!.sessionId)).toBe(403);
    // Given the tools scope back, the key's old session is still gone: its client starts a new one.
    t.runtime.apiKeys.update(narrowed.info.id, { scopes: ['tools'] });
    expect(await listToolsIn(host.url, narrowed.key, clients[2]!.sessionId)).toBe(404);
    expect(await listToolsIn(host.url, idle.key, clients[3]!.sessionId)).toBe(404);
    // Nor is a session taken up again by another key.
    expect(await listToolsIn(host.url, idle.key, clients[0]!.sessionId)).toBe(404);
  }, 60_000);

  it('answers a call under way when Portcullis closes that it stopped, at once, and takes the next call after the restart', async () => {
    const host = restartableHost();
    const t = await host.start();
    const key = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'] }).key;
    const { client } = await connect(host.url, key);
    const waiting = client.callTool({ name: 'fs_write', arguments: { path: 'a.txt', content: 'a' } }, undefined, { timeout: 20_000 });
    await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
    const closedAt = Date.now();
    await host.stop();
    const answer = (await waiting) as CallToolResult;
    expect(Date.now() - closedAt).toBeLessThan(5_000);
    expect(answer.isError).toBe(true);
    expect(JSON.stringify(answer.content)).toContain('Portcullis stopped serving MCP (it was quit or restarted, or its Local API turned off) while the call was under way; call again once it is back.');
    await host.start();
    expect(failed(await client.callTool({ name: 'fs_list', arguments: { path: '.' } }))).toBe(false);
  }, 60_000);

  it('keeps no more sessions than it keeps open, forgetting the oldest no open session stands for, not an open one', async () => {
    const host = restartableHost();
    const t = await host.start();
    const key = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'] });
    const cursor = await connect(host.url, key.key);
    // Cursor's session has been open for an hour, unused; the rows of sessions no client came back for (another
    // Portcullis run, a client that never said goodbye) are newer.
    keepBehindNewerRows(host.dataDir, cursor.sessionId, key.info.id);
    await connect(host.url, key.key, 'Claude Code');
    expect(keptSessions(host.dataDir)).toHaveLength(MAX_SESSIONS);
    expect(keptSessions(host.dataDir)).toContain(cursor.sessionId);
    await host.stop();
    await host.start();
    expect(failed(await cursor.client.callTool({ name: 'fs_list', arguments: { path: '.' } }))).toBe(false);
  }, 60_000);

  it('leaves the kept sessions another Portcullis on the data folder holds open to it, and forgets them once it has ended', async () => {
    const host = restartableHost();
    const t = await host.start();
    const key = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'] });
    // A second Portcullis on the same folder (the app beside a `serve`), and a client of its.
    const startOther = async (port = 0) => {
      const other = startTestRuntime({ dataDir: host.dataDir });
      const server = await startHeadlessServer({ runtime: other.runtime, port });
      onTestFinished(() => server.close());
      return { runtime: other.runtime, server, url: new URL(`http://127.0.0.1:${server.port}/mcp`) };
    };
    const other = await startOther();
    const cursor = await connect(other.url, key.key);
    // Its session has been open for an hour, unused; rows of sessions no client came back for are newer.
    keepBehindNewerRows(host.dataDir, cursor.sessionId, key.info.id);
    // A session opened in this process trims the rows: not the other's open one, though it is the oldest.
    await connect(host.url, key.key, 'Claude Code');
    expect(keptSessions(host.dataDir)).toHaveLength(MAX_SESSIONS);
    expect(keptSessions(host.dataDir)).toContain(cursor.sessionId);
    // So it survives the other's restart.
    await other.server.close();
    await other.runtime.dispose();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = await startOther(other.server.port);
    expect(failed(await cursor.client.callTool({ name: 'fs_list', arguments: { path: '.' } }))).toBe(false);
    // Once that process has ended (closed, or crashed), its sessions are the oldest as any other's.
    await again.server.close();
    await again.runtime.dispose();
    const crashed = new BetterSqlite3(join(host.dataDir, 'portcullis.db'));
    crashed.prepare('UPDATE mcp_sessions SET last_seen_at = ?, holder_instance = ?, holder_pid = ? WHERE id = ?').run(Date.now() - 3_600_000, '999999-0badc0ffee00', 999_999, cursor.sessionId);
    crashed.close();
    await connect(host.url, key.key, 'VS Code');
    expect(keptSessions(host.dataDir)).not.toContain(cursor.sessionId);
  }, 60_000);

  it("tells a client without a GET stream (its SDK gave it up during a restart) that the tools changed, on its next call's answer", async () => {
    const host = restartableHost();
    const t = await host.start();
    const made = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'] });
    const headers = { authorization: `Bearer ${made.key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const post = (body: unknown, sessionId?: string) => fetch(host.url, { method: 'POST', headers: { ...headers, ...(sessionId ? { 'mcp-session-id': sessionId } : {}) }, body: JSON.stringify(body) });
    const opened = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'Cursor', version: '1' } } });
    await opened.text();
    const sessionId = opened.headers.get('mcp-session-id')!;
    await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, sessionId)).text();
    await (await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, sessionId)).text();
    // The key is narrowed: its sessions are told at the next check of the lists (every 2 s, later on a loaded
    // machine), on a GET stream this client does not have; its calls' answers are read until one tells it.
    t.runtime.apiKeys.update(made.info.id, { tools: ['fs.*'] });
    const call = async () => (await post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'fs_list', arguments: { path: '.' } } }, sessionId)).text();
    await until('no call was told the tools changed', call, (answer) => answer.includes('"method":"notifications/tools/list_changed"'));
    expect(await call()).not.toContain('notifications/tools/list_changed');
  }, 60_000);

  it('does not take up again a session its client ended (DELETE)', async () => {
    const host = restartableHost();
    const t = await host.start();
    const key = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'] }).key;
    const ended = await connect(host.url, key);
    const open = await connect(host.url, key);
    await ended.transport.terminateSession();
    expect(keptSessions(host.dataDir)).toEqual([open.sessionId]);
    await host.stop();
    await host.start();

    expect(await listToolsIn(host.url, key, ended.sessionId)).toBe(404);
    expect(await listToolsIn(host.url, key, open.sessionId)).toBe(200);
    expect((await open.client.listTools()).tools.length).toBeGreaterThan(0);
  }, 60_000);
});
