import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startHeadlessServer } from '../../src/server/headless-server';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

/** A Portcullis with its `/mcp` endpoint, and an SDK client for a key of its own. */
async function start(dataDir = tempDir()) {
  const t = startTestRuntime({ dataDir });
  const server = await startHeadlessServer({ runtime: t.runtime });
  onTestFinished(() => server.close());
  const url = new URL(`http://127.0.0.1:${server.port}/mcp`);
  const connect = async (name: string) => {
    const created = t.runtime.apiKeys.create({ name, scopes: ['chat'] });
    const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${created.key}` } } });
    const client = new Client({ name: 'Cursor', version: '1.0.0' });
    await client.connect(transport);
    onTestFinished(() => client.close());
    return { client, transport, key: created.key, keyId: created.info.id };
  };
  /**
   * A tools/call POSTed on the client's session as a client killed mid-call sends it: `cut()` drops its request's
   * stream, with no notifications/cancelled and no DELETE.
   */
  const callToBeCut = ({ transport, key }: { transport: StreamableHTTPClientTransport; key: string }, id: number, name: string, args: Record<string, unknown>) => {
    const connection = new AbortController();
    const answer = fetch(url, {
      method: 'POST',
      signal: connection.signal,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': transport.sessionId!, 'mcp-protocol-version': transport.protocolVersion ?? '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }),
    }).then((response) => response.text());
    answer.catch(() => undefined);
    return { cut: () => connection.abort() };
  };
  const pending = () => until('an approval', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 1);
  const withdrawn = () => until('the approval withdrawn', () => t.runtime.handlers['approvals.pending']({}), (list) => list.length === 0);
  const recorded = async (conversationId: string) =>
    (await until('the call recorded', () => t.runtime.handlers['messages.list']({ conversationId }), (list) => list.some((m) => m.toolCall?.status === 'denied'))).find((m) => m.toolCall)!.toolCall;
  return { ...t, url, connect, callToBeCut, pending, withdrawn, recorded };
}

describe('an MCP client that goes away while its call waits for the person (/mcp)', () => {
  it('cancels the call when the client drops its connection without cancelling: the approval leaves the page, nothing runs', async () => {
    const t = await start();
    const call = t.callToBeCut(await t.connect('Cursor'), 7, 'fs_write', { path: 'nobody.txt', content: 'x' });
    const [request] = await t.pending();
    call.cut();
    await t.withdrawn();
    expect(await t.recorded(request!.conversationId)).toMatchObject({ toolName: 'fs.write', status: 'denied', error: { code: 'TOOL_CANCELLED', message: 'fs.write did not run: it was cancelled while it waited for your approval. Cursor closed its connection before the call ended.' } });
  }, 30_000);

  it('stops a call already running when the client drops its connection: the MCP server running it is told to cancel', async () => {
    const dataDir = tempDir();
    const log = join(dataDir, 'chaos.log');
    // Unsandboxed, so that it may write its log (its calls then ask the person).
    writeMcpConfig(dataDir, { chaos: { command: process.execPath, args: [chaosServer, '--log', log], sandbox: false } });
    const t = await start(dataDir);
    await t.runtime.mcp.settled();
    // chaos.hang never answers.
    const call = t.callToBeCut(await t.connect('Cursor'), 8, 'chaos_hang', {});
    const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n') : []);
    const [request] = await t.pending();
    await t.runtime.handlers['approvals.decide']({ approvalId: request!.id, choice: 'allow_once' });
    await until('the call running', lines, (seen) => seen.includes('call hang'));
    call.cut();
    await until('the server told to cancel', lines, (seen) => seen.includes('cancelled hang'));
    const [conversation] = await t.runtime.handlers['conversations.list']({});
    const messages = await until('the call recorded as ended', () => t.runtime.handlers['messages.list']({ conversationId: conversation!.id }), (list) => list.some((m) => m.toolCall && m.toolCall.status !== 'running'));
    expect(messages.find((m) => m.toolCall)!.toolCall).toMatchObject({ toolName: 'chaos.hang', status: 'failed', error: { code: 'TOOL_CANCELLED', message: 'chaos.hang was cancelled; the server was told to stop. Cursor closed its connection before the call ended.' } });
  }, 30_000);

  it("ends the sessions of a key revoked while they are open: the call they wait on is cancelled, saying why", async () => {
    const t = await start();
    const { client, keyId } = await t.connect('Goose');
    const call = client.callTool({ name: 'fs_write', arguments: { path: 'revoked.txt', content: 'x' } }, undefined, { timeout: 20_000 });
    const outcome = call.then((result) => result as CallToolResult, (error: unknown) => error);
    const [request] = await t.pending();
    t.runtime.apiKeys.revoke(keyId);
    await t.withdrawn();
    expect(await t.recorded(request!.conversationId)).toMatchObject({ status: 'denied', error: { code: 'TOOL_CANCELLED', message: expect.stringContaining('The key "Goose" was revoked or expired while the call was under way.') } });
    // The client is told why at once, not left to its own timeout.
    const answer = (await outcome) as CallToolResult;
    expect(answer.isError).toBe(true);
    expect(answer.content).toEqual([{ type: 'text', text: 'Portcullis did not run fs_write: it was cancelled while it waited for your approval. The key "Goose" was revoked or expired while the call was under way. (TOOL_CANCELLED)' }]);
    await expect(client.listTools()).rejects.toThrow(/revoked/);
  }, 30_000);
});
