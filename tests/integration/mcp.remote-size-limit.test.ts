import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { writeMcpConfig } from '../helpers/mcp';
import { type RecordingHttpMcpServer, startRecordingHttpMcpServer } from '../helpers/recording-http-mcp-server';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const MB = 1024 * 1024;
let remote: RecordingHttpMcpServer | undefined;
afterEach(async () => {
  await remote?.close();
  remote = undefined;
});

async function connected(server: RecordingHttpMcpServer, extra: Record<string, unknown> = {}): Promise<Runtime> {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, { remote: { url: server.url, maxRetries: 2, ...extra } });
  const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
  await until('the server never connected', () => runtime.listTools(), (tools) => tools.some((t) => t.name === 'remote.flood'));
  return runtime;
}

const TOO_LARGE = /^remote\.(big|flood) failed: the remote server's answer( \([\d.]+ MB\))? was larger than the 10 MB that one JSON-RPC message may have, and Portcullis did not read it\.$/;

describe.each([
  ['an event stream', false],
  ['JSON', true],
])("a remote server's answer beyond 10 MB, sent as %s", (_, json) => {
  it('fails that call alone with the limit said, is read no further, and the session and its other calls go on', async () => {
    remote = await startRecordingHttpMcpServer({ json });
    const runtime = await connected(remote);
    // A call under way on the same session when the too-large answer comes.
    const slow = runtime.callTool('remote.slow', { ms: 1_500 });
    const { record } = await runtime.callTool('remote.big', { bytes: 12 * MB });
    expect(record.status).toBe('failed');
    expect(record.error?.message).toMatch(TOO_LARGE);
    // A hostile answer that would go on for 300 MB is read up to the limit, and the server sees its client leave.
    const before = process.memoryUsage().rss;
    const { record: flood } = await runtime.callTool('remote.flood', {});
    expect(flood.error?.message).toMatch(TOO_LARGE);
    await until('the flood never stopped', () => remote!.flooded.ended, (ended) => ended !== null);
    expect(remote.flooded).toMatchObject({ ended: 'client-left' });
    expect(remote.flooded.bytes).toBeLessThan(40 * MB);
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * MB);
    // Neither was tried again (the same answer would come), yet both count for the breaker.
    expect(remote.received.filter((line) => line === 'tools/call big' || line === 'tools/call flood')).toEqual(['tools/call big', 'tools/call flood']);
    expect((await slow).record).toMatchObject({ status: 'succeeded' });
    const { record: after } = await runtime.callTool('remote.shout', { message: 'still here' });
    expect(JSON.stringify(after.result)).toContain('STILL HERE');
    expect(runtime.mcp.status()[0]).toMatchObject({ state: 'connected', restarts: 0 });
    expect(remote.opened).toHaveLength(1);
  }, 60_000);
});

it('answers beyond 10 MB count for the breaker, as other failures of the server do', async () => {
  remote = await startRecordingHttpMcpServer();
  const runtime = await connected(remote, { breakerThreshold: 2 });
  for (let i = 0; i < 2; i++) expect((await runtime.callTool('remote.big', { bytes: 11 * MB })).record.error?.message).toMatch(TOO_LARGE);
  const { record } = await runtime.callTool('remote.shout', { message: 'refused' });
  expect(record.error?.message).toMatch(/breaker|paused/i);
  expect(remote.received.filter((line) => line.startsWith('tools/call'))).toEqual(['tools/call big', 'tools/call big']);
}, 60_000);

describe("a remote server's GET event stream", () => {
  it('is measured message by message: 12 MB of small notifications over its life are fine', async () => {
    remote = await startRecordingHttpMcpServer();
    const runtime = await connected(remote);
    const { record } = await runtime.callTool('remote.notify', { count: 120, bytes: 100_000 });
    expect(record.status).toBe('succeeded');
    const { record: after } = await runtime.callTool('remote.shout', { message: 'ok' });
    expect(after.status).toBe('succeeded');
    expect(runtime.mcp.status()[0]).toMatchObject({ state: 'connected', restarts: 0 });
  }, 60_000);

  it.each([
    ['on the GET stream', false],
    ["on a call's own answer stream", true],
  ])('drops a notification beyond 10 MB %s alone, unread, says so in its last output, and every call goes on', async (_, onAnswer) => {
    remote = await startRecordingHttpMcpServer();
    const runtime = await connected(remote);
    const slow = runtime.callTool('remote.slow', { ms: 1_500 });
    const { record } = await runtime.callTool('remote.notify', { count: 1, bytes: 11 * MB, onAnswer });
    expect(record).toMatchObject({ status: 'succeeded', result: { content: [{ type: 'text', text: 'sent 1' }] } });
    const status = await until('the drop was never said', () => runtime.mcp.status()[0], (s) => s?.stderrTail.includes('dropped') === true);
    expect(status).toMatchObject({ state: 'connected', restarts: 0, error: null });
    expect(status?.stderrTail).toBe("Portcullis dropped a message of the server's larger than the 10 MB that one JSON-RPC message may have (notifications/message), unread.");
    expect((await slow).record).toMatchObject({ status: 'succeeded' });
    const { record: after } = await runtime.callTool('remote.shout', { message: 'still here' });
    expect(JSON.stringify(after.result)).toContain('STILL HERE');
    expect(remote.opened).toHaveLength(1);
    expect(remote.getStreams()).toBe(1);
  }, 60_000);
});

describe("a remote server's message beyond 10 MB that no call's answer is", () => {
  it("a request of the server's mid-call is answered at once with an error naming the limit: its call ends then, saying why, and the session goes on", async () => {
    remote = await startRecordingHttpMcpServer();
    const runtime = await connected(remote, { timeoutMs: 8_000 });
    const started = Date.now();
    const { record } = await runtime.callTool('remote.ask', { bytes: 11 * MB });
    // Not left to wait until its timeout: the server had its answer, an error, and failed its call with it.
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(record.error).toEqual({
      code: 'TOOL_FAILED',
      message: 'remote.ask reported an error: MCP error -32099: Portcullis did not read this elicitation/create request: it was larger than the 10 MB that one JSON-RPC message may have',
    });
    expect(runtime.mcp.status()[0]).toMatchObject({ state: 'connected', restarts: 0, error: null });
    expect(runtime.mcp.status()[0]?.stderrTail).toMatch(
      /^Portcullis dropped the server's request \d+ \(elicitation\/create\), larger than the 10 MB that one JSON-RPC message may have, unread, and answered it with an error saying so\.$/,
    );
    expect((await runtime.callTool('remote.shout', { message: 'still here' })).record.status).toBe('succeeded');
    expect(remote.opened).toHaveLength(1);
  }, 60_000);

  it('one on the GET stream that says neither what it is nor which request it answers is dropped, said, and the connection goes on', async () => {
    remote = await startRecordingHttpMcpServer();
    const runtime = await connected(remote);
    await until('the GET stream never opened', () => remote!.getStreams(), (streams) => streams === 1);
    // A batch of notifications: its start and end name no method or id.
    remote.writeOnGetStreams(JSON.stringify([{ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'n'.repeat(11 * MB) } }]));
    const status = await until('the drop was never said', () => runtime.mcp.status()[0], (s) => s?.stderrTail.includes('dropped') === true || s?.state !== 'connected');
    expect(status).toMatchObject({ state: 'connected', restarts: 0, error: null });
    expect(status?.stderrTail).toBe(
      "Portcullis dropped a message of the server's larger than the 10 MB that one JSON-RPC message may have, unread; its start and end said neither what it was nor which request it answered.",
    );
    // The stream it came on is the one still open: nothing was opened again.
    const { record } = await runtime.callTool('remote.notify', { count: 1, bytes: 10 });
    expect(record).toMatchObject({ status: 'succeeded', result: { content: [{ type: 'text', text: 'sent 1' }] } });
    expect(runtime.mcp.status()[0]).toMatchObject({ state: 'connected', restarts: 0, error: null });
    expect(remote.opened).toHaveLength(1);
    expect(remote.getStreams()).toBe(1);
  }, 60_000);
});

/** A server of the older HTTP+SSE transport, whose answers all come on its one event stream, with a `big` tool. */
async function startLegacyServer(): Promise<{ url: string; server: HttpServer; streams: number }> {
  const sessions = new Map<string, SSEServerTransport>();
  const state = { streams: 0 };
  const server = createServer(async (request, response) => {
    const { pathname, searchParams } = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'GET' && pathname === '/sse') {
      state.streams++;
      const transport = new SSEServerTransport('/messages', response);
      sessions.set(transport.sessionId, transport);
      const mcp = new McpServer({ name: 'legacy', version: '1.0.0' });
      const annotations = { readOnlyHint: true, openWorldHint: false };
      mcp.registerTool('big', { description: 'Answers with that many characters.', inputSchema: { bytes: z.number() }, annotations }, async ({ bytes }) => ({
        content: [{ type: 'text', text: 'x'.repeat(bytes) }],
      }));
      await mcp.connect(transport);
    } else if (request.method === 'POST' && pathname === '/messages' && sessions.has(searchParams.get('sessionId') ?? '')) {
      await sessions.get(searchParams.get('sessionId')!)!.handlePostMessage(request, response);
    } else {
      response.writeHead(405).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sse`,
    server,
    get streams() {
      return state.streams;
    },
  };
}

describe('a server of the older HTTP+SSE transport', () => {
  it('whose answer is beyond 10 MB fails that call alone, told by the id at its end, and the connection goes on', async () => {
    const legacy = await startLegacyServer();
    try {
      const dataDir = tempDir();
      writeMcpConfig(dataDir, { remote: { type: 'sse', url: legacy.url, maxRetries: 2 } });
      const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
      await until('the server never connected', () => runtime.listTools(), (tools) => tools.some((t) => t.name === 'remote.big'));
      // Its answer comes on the stream every answer comes on; its id, after the text, says which call it was for.
      const other = runtime.callTool('remote.big', { bytes: 10 });
      const { record } = await runtime.callTool('remote.big', { bytes: 12 * MB });
      expect(record.error?.message).toMatch(TOO_LARGE);
      expect((await other).record).toMatchObject({ status: 'succeeded' });
      expect((await runtime.callTool('remote.big', { bytes: 5 })).record).toMatchObject({ status: 'succeeded', result: { content: [{ type: 'text', text: 'xxxxx' }] } });
      expect(runtime.mcp.status()[0]).toMatchObject({ state: 'connected', restarts: 0 });
      expect(runtime.mcp.status()[0]?.stderrTail).toMatch(/^Portcullis dropped the server's answer to request \d+, larger than the 10 MB that one JSON-RPC message may have, unread, and failed that call\.$/);
      expect(legacy.streams).toBe(1);
    } finally {
      legacy.server.closeAllConnections();
      await new Promise<void>((resolve) => legacy.server.close(() => resolve()));
    }
  }, 60_000);
});
