import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { MAX_SESSIONS } from '../../src/server/mcp-sessions';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

describe('MCP sessions past the most kept at once (/mcp)', () => {
  it("a client that opens session after session closes its own oldest idle ones, not another client's, nor one whose call waits", async () => {
    const t = startTestRuntime({ dataDir: tempDir() });
    const server = await startHeadlessServer({ runtime: t.runtime });
    onTestFinished(() => server.close());
    const url = new URL(`http://127.0.0.1:${server.port}/mcp`);
    const connect = async (key: string) => {
      const client = new Client({ name: 'Cursor', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
      onTestFinished(() => client.close());
      return client;
    };
    const cursorKey = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['chat'] }).key;
    const idle = await connect(cursorKey);
    await idle.listTools();
    const waiting = await connect(cursorKey);
    const call = waiting.callTool({ name: 'fs_write', arguments: { path: 'kept.txt', content: 'x' } }, undefined, { timeout: 30_000 });
    const [request] = await until('the approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);

    // Another agent opens more sessions than are kept, never saying goodbye (as the SDK's close() does not).
    const loopKey = t.runtime.apiKeys.create({ name: 'agent loop', scopes: ['chat'] }).key;
    const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'loop', version: '1' } } });
    for (let i = 0; i < MAX_SESSIONS + 5; i++) {
      const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${loopKey}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: initialize });
      expect(response.status).toBe(200);
      await response.text();
    }

    // Cursor's sessions are still there: the idle one answers, the waiting call still waits and runs once allowed.
    expect((await idle.listTools()).tools.length).toBeGreaterThan(0);
    expect((await t.runtime.handlers['approvals.pending']({})).map((r) => r.id)).toEqual([request!.id]);
    await t.runtime.handlers['approvals.decide']({ approvalId: request!.id, choice: 'allow_once' });
    expect(((await call) as CallToolResult).isError).toBeFalsy();
  }, 60_000);

  it('takes an initialize sent with the id of a session it no longer knows (the client started again after a restart) as a new session', async () => {
    const t = startTestRuntime({ dataDir: tempDir() });
    const server = await startHeadlessServer({ runtime: t.runtime });
    onTestFinished(() => server.close());
    const url = new URL(`http://127.0.0.1:${server.port}/mcp`);
    const key = t.runtime.apiKeys.create({ name: 'opencode', scopes: ['tools'] }).key;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': '6b1f0a4e-0000-4000-8000-000000000000' };
    const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'opencode', version: '1' } } });
    const reopened = await fetch(url, { method: 'POST', headers, body: initialize });
    expect(reopened.status).toBe(200);
    expect(reopened.headers.get('mcp-session-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(reopened.headers.get('mcp-session-id')).not.toBe(headers['mcp-session-id']);
    expect(await reopened.text()).toContain('"serverInfo":{"name":"portcullis"');
    // Any other request with that id is still not found (the spec's 404, after which a client initializes anew).
    const other = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    expect(other.status).toBe(404);
  }, 30_000);
});
