import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ElicitResultSchema, isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

export interface RecordingHttpMcpServer {
  url: string;
  server: HttpServer;
  /** What clients sent, in order: each JSON-RPC method POSTed ("tools/call slow", "notifications/cancelled"), "DELETE <session>". */
  received: string[];
  /** Sessions opened, and those still open. */
  opened: string[];
  open: Set<string>;
  /** Bytes the flood tool wrote before its client stopped reading (or gave up at 300 MB). */
  flooded: { bytes: number; ended: 'client-left' | 'all-sent' | null };
  /** How many GET event streams clients opened. */
  getStreams(): number;
  /** Writes one event of `data` on the open GET event streams, as written (a message the SDK's server would not send). */
  writeOnGetStreams(data: string): void;
  /** Breaks the open GET event streams mid-stream, as a proxy that cuts a long-lived connection does. */
  breakGetStreams(): void;
  /** Forgets every session, as a server that restarted does: it answers their requests with 404. */
  forgetSessions(): void;
  close(): Promise<void>;
}

const read = async (request: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? JSON.parse(text) : undefined;
};

/** Resolves when a response may be written again, or is gone. */
const drained = (response: ServerResponse): Promise<void> =>
  new Promise((resolve) => {
    const done = () => (response.off('drain', done), response.off('close', done), resolve());
    response.once('drain', done);
    response.once('close', done);
  });

const readOnly = { readOnlyHint: true, openWorldHint: false };
const MB = 1024 * 1024;

/**
 * A real stateful Streamable HTTP MCP server on 127.0.0.1 (the SDK's), with sessions, its GET event stream, and the
 * DELETE that ends a session. It records what it receives. Tools: shout, big (an answer of `bytes` characters), slow
 * (waits `ms`, or until it is cancelled), notify (sends `count` notifications of `bytes` on the GET stream, or with
 * `onAnswer` on the call's own answer stream; `asProgress`: progress on the call, whose message has the bytes), ask
 * (asks the client an elicitation/create of `bytes` on the call's own stream, and fails with the client's error), and
 * flood:
 * a hostile answer of up to 300 MB, written by hand, that the client should stop reading. `json`: it answers POSTs
 * with JSON rather than an event stream. `hang`: what it takes and never answers, as a server gone wrong does
 * ("DELETE", "notifications/cancelled").
 */
export async function startRecordingHttpMcpServer({ json = false, hang = [] as string[] } = {}): Promise<RecordingHttpMcpServer> {
  const received: string[] = [];
  const opened: string[] = [];
  const open = new Set<string>();
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const flooded: RecordingHttpMcpServer['flooded'] = { bytes: 0, ended: null };
  const getStreams: ServerResponse[] = [];

  const newServer = (): McpServer => {
    const mcp = new McpServer({ name: 'recording', version: '1.0.0' }, { capabilities: { logging: {} } });
    mcp.registerTool('shout', { description: 'Upper-cases a message.', inputSchema: { message: z.string() }, annotations: readOnly }, async ({ message }) => ({
      content: [{ type: 'text', text: message.toUpperCase() }],
    }));
    mcp.registerTool('big', { description: 'Answers with that many characters.', inputSchema: { bytes: z.number() }, annotations: readOnly }, async ({ bytes }) => ({
      content: [{ type: 'text', text: 'x'.repeat(bytes) }],
    }));
    mcp.registerTool('slow', { description: 'Waits, unless cancelled.', inputSchema: { ms: z.number() }, annotations: readOnly }, async ({ ms }, extra) => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        extra.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      return { content: [{ type: 'text', text: extra.signal.aborted ? 'cancelled' : `waited ${ms} ms` }] };
    });
    mcp.registerTool('notify', { description: 'Sends notifications on the GET stream, or on its own answer\'s.', inputSchema: { count: z.number(), bytes: z.number(), onAnswer: z.boolean().optional(), asProgress: z.boolean().optional() }, annotations: readOnly }, async ({ count, bytes, onAnswer, asProgress }, extra) => {
      const progressToken = extra._meta?.progressToken;
      if (asProgress && progressToken !== undefined) {
        for (let i = 0; i < count; i++) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: i + 1, message: 'p'.repeat(bytes) } });
        return { content: [{ type: 'text', text: `reported ${count}` }] };
      }
      const message = { method: 'notifications/message' as const, params: { level: 'info' as const, data: 'n'.repeat(bytes) } };
      // No related request: they go on the session's GET stream, not this call's answer; onAnswer: on the call's answer.
      for (let i = 0; i < count; i++) await (onAnswer ? extra.sendNotification(message) : mcp.server.notification(message));
      return { content: [{ type: 'text', text: `sent ${count}` }] };
    });
    mcp.registerTool('ask', { description: 'Asks the client a question of that many characters.', inputSchema: { bytes: z.number() }, annotations: readOnly }, async ({ bytes }, extra) => {
      await extra.sendRequest({ method: 'elicitation/create', params: { message: 'q'.repeat(bytes), requestedSchema: { type: 'object', properties: {} } } }, ElicitResultSchema);
      return { content: [{ type: 'text', text: 'answered' }] };
    });
    mcp.registerTool('flood', { description: 'Answers with far too much.', inputSchema: {}, annotations: readOnly }, async () => ({ content: [] }));
    return mcp;
  };

  /** Writes a JSON-RPC answer that never ends (up to 300 MB), a MB at a time, as long as the client reads it. */
  const flood = async (response: ServerResponse, id: unknown): Promise<void> => {
    const chunk = Buffer.alloc(MB, 'y');
    response.writeHead(200, json ? { 'content-type': 'application/json' } : { 'content-type': 'text/event-stream' });
    const write = (data: Buffer | string) => {
      flooded.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      return response.write(data);
    };
    write(json ? `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":"` : `event: message\ndata: {"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":"`);
    while (flooded.bytes < 300 * MB) {
      if (response.destroyed) return void (flooded.ended = 'client-left');
      if (!write(chunk)) await drained(response);
    }
    flooded.ended = 'all-sent';
    response.end(json ? '"}]}}' : '"}]}}\n\n');
  };

  const server = createServer(async (request, response) => {
    const sessionId = request.headers['mcp-session-id'] as string | undefined;
    if (request.method === 'DELETE') received.push(`DELETE ${sessionId}`);
    if (request.method === 'GET') getStreams.push(response);
    if (request.method === 'DELETE' && hang.includes('DELETE')) return;
    const body = request.method === 'POST' ? await read(request) : undefined;
    for (const message of Array.isArray(body) ? body : body ? [body] : []) {
      const { method, params } = message as { method?: string; params?: { name?: string } };
      if (method) received.push(method === 'tools/call' ? `${method} ${params?.name}` : method);
      if (method && hang.includes(method)) return;
      if (method === 'tools/call' && params?.name === 'flood') return flood(response, (message as { id: unknown }).id);
    }
    let transport = sessionId ? sessions.get(sessionId) : undefined;
    if (!transport && request.method === 'POST' && isInitializeRequest(body)) {
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        enableJsonResponse: json,
        onsessioninitialized: (id) => {
          sessions.set(id, created);
          opened.push(id);
          open.add(id);
        },
        onsessionclosed: (id) => {
          sessions.delete(id);
          open.delete(id);
        },
      });
      await newServer().connect(created);
      transport = created;
    }
    if (!transport) return void response.writeHead(404).end();
    await transport.handleRequest(request, response, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    server,
    received,
    opened,
    open,
    flooded,
    getStreams: () => getStreams.length,
    writeOnGetStreams: (data) => {
      for (const response of getStreams) if (!response.destroyed) response.write(`event: message\ndata: ${data}\n\n`);
    },
    breakGetStreams: () => {
      for (const response of getStreams) response.socket?.destroy();
    },
    forgetSessions: () => {
      sessions.clear();
      open.clear();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
