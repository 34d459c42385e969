import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { postChannel } from '../helpers/local-api-client';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

/** Arguments `{"path":".","x":[[[…]]]}` nested `depth` deep, as text: JSON.stringify itself overflows on them. */
const deepArguments = (depth: number): string => `{"path":".","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;

/** One tools/call on /mcp sent as raw text (the SDK's client cannot write such arguments), after its handshake. */
async function mcpToolsCall(port: number, key: string, argumentsText: string): Promise<string> {
  const url = `http://127.0.0.1:${port}/mcp`;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${key}` };
  const hello = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }) });
  await hello.text();
  const session = { ...headers, 'mcp-session-id': hello.headers.get('mcp-session-id') ?? '', 'mcp-protocol-version': '2025-06-18' };
  await (await fetch(url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).text();
  const called = await fetch(url, { method: 'POST', headers: session, body: `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"fs.list","arguments":${argumentsText}}}` });
  return called.text();
}

describe('a call whose arguments nest thousands deep', () => {
  it('is refused saying so on /api and /mcp, where writing it down overflowed the stack (INTERNAL; "Maximum call stack size exceeded")', async () => {
    const t = startTestRuntime({ dataDir: tempDir() });
    const server = await startHeadlessServer({ runtime: t.runtime, log: () => undefined });
    onTestFinished(() => server.close());
    const { key } = t.runtime.apiKeys.create({ name: 'Deep', scopes: ['tools'] });

    const response = await fetch(`http://127.0.0.1:${server.port}/api/tools.call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: `{"name":"fs.list","arguments":${deepArguments(10_000)}}`,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('arguments: must not nest objects and arrays more than 128 levels deep') } });

    const answered = await mcpToolsCall(server.port, key, deepArguments(10_000));
    expect(answered).toContain('"isError":true');
    expect(answered).toContain('TOOL_ARGUMENTS_INVALID: The arguments of fs.list nest objects and arrays more than 128 levels deep, so it did not run.');

    // Arguments as deep as real ones go on to the gateway, which judges them against the tool's schema.
    const shallow = await postChannel(server.port, key, 'tools.call', { name: 'fs.list', arguments: { path: '.' } });
    expect(shallow.output).toMatchObject({ outcome: 'ok' });
    expect(await mcpToolsCall(server.port, key, '{"path":"."}')).not.toContain('isError":true');
  }, 60_000);
});
