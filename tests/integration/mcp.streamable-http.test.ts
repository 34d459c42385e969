import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { MemorySecretStore, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const TOKEN = 'canary-http-bearer-7741';

/** The one tool both remote servers offer. */
function shoutServer(): McpServer {
  const mcp = new McpServer({ name: 'remote', version: '1.0.0' });
  mcp.registerTool(
    'shout',
    { description: 'Upper-cases a message.', inputSchema: { message: z.string() }, annotations: { readOnlyHint: true, openWorldHint: false } },
    async ({ message }) => ({ content: [{ type: 'text', text: message.toUpperCase() }] }),
  );
  // A careless server that says back the token of the Authorization header it was sent, without "Bearer".
  mcp.registerTool('whoami', { description: 'Says who called.', inputSchema: {}, annotations: { readOnlyHint: true, openWorldHint: false } }, async () => ({
    content: [{ type: 'text', text: `you called with the key ${TOKEN}` }],
  }));
  return mcp;
}

async function listen(server: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A real Streamable HTTP MCP server on 127.0.0.1 (stateless), which answers only with the right bearer token.
 * `failing.calls`: how many of the next tools/call requests it answers with an HTTP 500, as an unwell server does.
 */
async function startHttpMcpServer(failing = { calls: 0 }): Promise<{ url: string; server: HttpServer; seenAuthorization: string[]; toolCalls: string[] }> {
  const seenAuthorization: string[] = [];
  const toolCalls: string[] = [];
  const server = createServer(async (request, response) => {
    seenAuthorization.push(request.headers.authorization ?? '');
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(401).end();
      return;
    }
    let body: unknown;
    if (request.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      body = JSON.parse(Buffer.concat(chunks).toString());
      if ((body as { method?: string }).method === 'tools/call') {
        toolCalls.push(failing.calls > 0 ? '500' : 'answered');
        if (failing.calls > 0) {
          failing.calls--;
          response.writeHead(500).end('upstream busy');
          return;
        }
      }
    }
    const mcp = shoutServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on('close', () => void transport.close());
    await mcp.connect(transport);
    await transport.handleRequest(request, response, body);
  });
  return { url: `${await listen(server)}/mcp`, server, seenAuthorization, toolCalls };
}

/**
 * A server from before Streamable HTTP (the HTTP+SSE transport, as many remote servers still are): an event stream
 * at GET /sse, messages POSTed to /messages; a POST to /sse is refused with 405. It too wants the bearer token.
 */
async function startLegacySseMcpServer(): Promise<{ url: string; server: HttpServer; seen: string[] }> {
  const seen: string[] = [];
  const sessions = new Map<string, SSEServerTransport>();
  const server = createServer(async (request, response) => {
    const { pathname, searchParams } = new URL(request.url ?? '/', 'http://localhost');
    seen.push(`${request.method} ${pathname} ${request.headers.authorization ?? '(no token)'}`);
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(401).end();
    } else if (request.method === 'GET' && pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', response);
      sessions.set(transport.sessionId, transport);
      await shoutServer().connect(transport);
    } else if (request.method === 'POST' && pathname === '/messages' && sessions.has(searchParams.get('sessionId') ?? '')) {
      await sessions.get(searchParams.get('sessionId')!)!.handlePostMessage(request, response);
    } else {
      response.writeHead(405).end();
    }
  });
  return { url: `${await listen(server)}/sse`, server, seen };
}

const waitForTool = (runtime: Runtime, name: string) =>
  until('the server never connected', () => runtime.listTools(), (tools) => tools.some((t) => t.name === name));

let httpServer: HttpServer | undefined;
afterEach(async () => {
  // The client may hold a keep-alive connection or an open event stream: end them, then close.
  httpServer?.closeAllConnections();
  await new Promise<void>((resolve) => (httpServer ? httpServer.close(() => resolve()) : resolve()));
  httpServer = undefined;
});

describe('MCP over Streamable HTTP', () => {
  it('connects with a header secret from the keychain, lists the tools with annotations and calls them through the gateway', async () => {
    const remote = await startHttpMcpServer();
    httpServer = remote.server;
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { remote: { url: remote.url, headers: { Authorization: 'secret:remote.auth' } } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all'), secretStore: new MemorySecretStore({ 'remote.auth': `Bearer ${TOKEN}` }) });
    await waitForTool(runtime, 'remote.shout');
    const tool = runtime.listTools().find((t) => t.name === 'remote.shout');
    expect(tool).toMatchObject({ server: 'remote', annotations: { readOnlyHint: true, openWorldHint: false } });
    const { record } = await runtime.callTool('remote.shout', { message: 'over http' });
    expect(record).toMatchObject({ status: 'succeeded', untrusted: true });
    expect(JSON.stringify(record.result)).toContain('OVER HTTP');
    expect(remote.seenAuthorization.every((h) => h === `Bearer ${TOKEN}`)).toBe(true);
    // The secret reached the server, and nothing the person can see.
    expect(JSON.stringify(await runtime.handlers['tools.catalog']({}))).not.toContain(TOKEN);
    expect(JSON.stringify(record)).not.toContain(TOKEN);
  });

  it("a server that says back its header secret's token without the word Bearer has it masked for the model, the record and the trace", async () => {
    const remote = await startHttpMcpServer();
    httpServer = remote.server;
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { remote: { url: remote.url, headers: { Authorization: 'secret:remote.auth' } } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all'), secretStore: new MemorySecretStore({ 'remote.auth': `Bearer ${TOKEN}` }) });
    await waitForTool(runtime, 'remote.whoami');
    const { record, traceId } = await runtime.callTool('remote.whoami', {});
    expect(record.status).toBe('succeeded');
    expect(JSON.stringify(record.result)).toContain('you called with the key [redacted]');
    const spans = await until('the trace was never written', () => runtime.handlers['traces.spans']({ traceId }), (s) => s.length > 0);
    expect(JSON.stringify(spans)).not.toContain(TOKEN);
  });

  it('an HTTP 500 to a call fails that call only: a read-only call is tried again on the same connection, and the error says the status', async () => {
    const failing = { calls: 2 };
    const remote = await startHttpMcpServer(failing);
    httpServer = remote.server;
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { remote: { url: remote.url, headers: { Authorization: 'secret:remote.auth' }, maxRetries: 2 } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all'), secretStore: new MemorySecretStore({ 'remote.auth': `Bearer ${TOKEN}` }) });
    await waitForTool(runtime, 'remote.shout');
    const { record } = await runtime.callTool('remote.shout', { message: 'second time lucky' });
    expect(record.status).toBe('succeeded');
    expect(remote.toolCalls).toEqual(['500', '500', 'answered']);
    // Three 500s in a row outlast the retries: said as the server's answer, not as malformed JSON-RPC or a crash.
    failing.calls = 3;
    const { record: failed } = await runtime.callTool('remote.shout', { message: 'no luck' });
    expect(failed.error?.message).toBe('remote.shout failed: the remote server answered HTTP 500 (upstream busy).');
    expect(runtime.mcp.status()[0]).toMatchObject({ state: 'connected', restarts: 0, error: null });
    await runtime.dispose();
  });

  it('reports a server that refuses the connection as failed, with a clear error, without taking the runtime down', async () => {
    const remote = await startHttpMcpServer();
    httpServer = remote.server;
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { remote: { url: remote.url } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    const catalog = await until('never reported as failed', () => runtime.handlers['tools.catalog']({}), (c) => c.servers.some((s) => s.name === 'remote' && s.state === 'failed'));
    expect(catalog.servers.find((s) => s.name === 'remote')).toMatchObject({ state: 'failed', error: expect.stringMatching(/^it refused Portcullis, and its OAuth sign-in could not start \(.*\)\. If it takes a token instead: .*"Authorization": "Bearer secret:NAME"/) });
    const { record } = await runtime.callTool('fs.list', { path: '.' });
    expect(record.status).toBe('succeeded');
  });

  it('falls back to the older HTTP+SSE transport when a server refuses Streamable HTTP, with the same secret header', async () => {
    const legacy = await startLegacySseMcpServer();
    httpServer = legacy.server;
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { remote: { url: legacy.url, headers: { Authorization: 'secret:remote.auth' } } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all'), secretStore: new MemorySecretStore({ 'remote.auth': `Bearer ${TOKEN}` }) });
    await waitForTool(runtime, 'remote.shout');
    const { record } = await runtime.callTool('remote.shout', { message: 'over sse' });
    expect(record).toMatchObject({ status: 'succeeded', untrusted: true });
    expect(JSON.stringify(record.result)).toContain('OVER SSE');
    const bearer = `Bearer ${TOKEN}`;
    expect(legacy.seen.slice(0, 2)).toEqual([`POST /sse ${bearer}`, `GET /sse ${bearer}`]); // refused, then the event stream
    expect(legacy.seen).toContain(`POST /messages ${bearer}`);
    expect(legacy.seen.every((line) => line.endsWith(bearer))).toBe(true);
    expect(runtime.mcp.status()[0]).toMatchObject({ state: 'connected', restarts: 0 });
  });

  it('"type": "sse" goes to the event stream at once', async () => {
    const legacy = await startLegacySseMcpServer();
    httpServer = legacy.server;
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { remote: { type: 'sse', url: legacy.url, headers: { Authorization: `Bearer ${TOKEN}` } } });
    const { runtime } = startTestRuntime({ dataDir });
    await waitForTool(runtime, 'remote.shout');
    expect(legacy.seen[0]).toMatch(/^GET \/sse /);
    expect(legacy.seen.some((line) => line.startsWith('POST /sse'))).toBe(false);
  });

  it('a remote server whose connection dropped is said to be reconnected to, not restarted, and not to have exited', async () => {
    const legacy = await startLegacySseMcpServer();
    httpServer = legacy.server;
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { remote: { type: 'sse', url: legacy.url, headers: { Authorization: `Bearer ${TOKEN}` } } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await waitForTool(runtime, 'remote.shout');
    // The server goes away: its event stream ends, and it no longer answers.
    legacy.server.close();
    legacy.server.closeAllConnections();
    const down = await until('the drop was never seen', () => runtime.mcp.status()[0], (s) => s?.state === 'failed');
    expect(down?.error).toMatch(/^its connection closed/);
    const { record } = await runtime.callTool('remote.shout', { message: 'anyone?' });
    // Its retry found it still unreachable: said as such, and that it is reconnected to.
    expect(record.error?.message).toMatch(/^The remote MCP server stopped during the call to remote\.shout: it could not be reached \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)\. Portcullis reconnects to it automatically with backoff\.$/);
    await runtime.dispose();
  });
});
