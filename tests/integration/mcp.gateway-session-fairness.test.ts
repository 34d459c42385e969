import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { MAX_SESSIONS } from '../../src/server/mcp-sessions';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

describe('MCP sessions past the most kept at once, one key holding calls open in most of them (/mcp)', () => {
  it("does not close another client's idle session to make room for a key that already holds half the places", async () => {
    const dataDir = tempDir();
    const t = startTestRuntime({ dataDir });
    const server = await startHeadlessServer({ runtime: t.runtime, log: () => undefined });
    onTestFinished(() => server.close());
    const url = new URL(`http://127.0.0.1:${server.port}/mcp`);

    const cursor = new Client({ name: 'Cursor', version: '1.0.0' });
    await cursor.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'] }).key}` } } }));
    onTestFinished(() => cursor.close());
    expect((await cursor.listTools()).tools.length).toBeGreaterThan(0);

    // Another key fills every other place with a session whose call waits (for the person's approval).
    const agent = t.runtime.apiKeys.create({ name: 'agent', scopes: ['tools'] }).key;
    const headers = { authorization: `Bearer ${agent}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'agent', version: '1' } } });
    const held = new AbortController();
    onTestFinished(() => held.abort());
    // Kept: an answer nobody holds on to is closed when collected, which cancels its call.
    const waiting: Response[] = [];
    const open = async (): Promise<number> => {
      const response = await fetch(url, { method: 'POST', headers, body: initialize });
      await response.text();
      const id = response.headers.get('mcp-session-id');
      if (response.status !== 200 || !id) return response.status;
      const session = { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' };
      await (await fetch(url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).text();
      // Its answer waits for the person: the stream stays open, the session busy.
      const call = await fetch(url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'fs_write', arguments: { path: 'x.txt', content: 'x' } } }), signal: held.signal });
      waiting.push(call);
      return call.status;
    };
    for (let i = 0; i < MAX_SESSIONS - 1; i++) expect(await open()).toBe(200);

    // One more: it would have to close Cursor's idle session, whose client would then be told 404 for good.
    expect(await open()).toBe(503);
    expect((await cursor.listTools()).tools.length).toBeGreaterThan(0);
  }, 60_000);
});
