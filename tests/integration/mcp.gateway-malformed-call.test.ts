import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

describe('a tools/call whose shape is wrong (/mcp)', () => {
  it('is answered as invalid params, saying what is wrong, not as an internal error listing schema issues', async () => {
    const t = startTestRuntime({ dataDir: tempDir() });
    const server = await startHeadlessServer({ runtime: t.runtime });
    onTestFinished(() => server.close());
    const url = new URL(`http://127.0.0.1:${server.port}/mcp`);
    const key = t.runtime.apiKeys.create({ name: 'hand-written client', scopes: ['tools'] }).key;
    const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${key}` } } });
    const client = new Client({ name: 'hand-written', version: '1.0.0' });
    await client.connect(transport);
    onTestFinished(() => client.close());
    // What a hand-written client sends past the SDK's own checks.
    const call = async (params: unknown) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': transport.sessionId!, 'mcp-protocol-version': transport.protocolVersion ?? '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { id: number; error?: { code: number; message: string } };
    };
    expect(await call({ name: 'fs_read', arguments: ['notes.txt'] })).toEqual({ jsonrpc: '2.0', id: 9, error: { code: -32602, message: "Invalid tools/call request: params.arguments must be an object of the tool's arguments by name, not an array." } });
    expect((await call({ name: 'fs_read', arguments: '{"path":"notes.txt"}' })).error?.message).toBe("Invalid tools/call request: params.arguments must be an object of the tool's arguments by name, not a string.");
    expect((await call({ arguments: {} })).error?.message).toBe('Invalid tools/call request: params.name, the tool to call, is missing.');
    expect((await call({ name: 42 })).error?.message).toBe("Invalid tools/call request: params.name must be the tool's name (a string), not a number.");
    // The session goes on.
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  }, 30_000);
});
