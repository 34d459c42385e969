import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer to POST /v1/chat/completions. */
export type FakeReply =
  | { sse: unknown[] }
  | { status: number; body: string }
  | { hang: true; first?: unknown }
  /** These chunks, then the connection is dropped, as by a server that crashed mid-reply. */
  | { cut: unknown[] }
  /** These chunks one by one, `everyMs` apart, then the end: a model writing slowly enough to watch. */
  | { slow: unknown[]; everyMs: number };

export interface FakeOpenAiServer {
  baseUrl: string;
  port: number;
  requests: Record<string, unknown>[];
  /** Every request's method and path, in order ('GET /props'). */
  seen: string[];
  reply(...replies: FakeReply[]): void;
  close(): Promise<void>;
}

/**
 * A real OpenAI-compatible HTTP server on 127.0.0.1, answering chat completions with scripted SSE chunks. `routes`
 * answers other requests ('GET /props' → a JSON body), as a local server's own API would; any other path is a
 * 404, as on a server that has no such API. Each request's method and path is in `seen`. Free of any test
 * runner, so Playwright's tests start it too (`startFakeOpenAiServer` closes it after a Vitest test).
 */
export async function listenFakeOpenAiServer(models: string[] = ['fake-model'], routes: Record<string, unknown> = {}): Promise<FakeOpenAiServer> {
  const queue: FakeReply[] = [];
  const requests: Record<string, unknown>[] = [];
  const seen: string[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const route = `${req.method} ${req.url}`;
    seen.push(route);
    let body = '';
    for await (const chunk of req) body += chunk;
    if (route === 'GET /v1/models' && !(route in routes)) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model' })) }));
      return;
    }
    if (route in routes) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(routes[route]));
      return;
    }
    if (route !== 'POST /v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const request = JSON.parse(body) as Record<string, unknown>;
    requests.push(request);
    const problem = toolMessageProblem(request.messages as ChatMessage[]);
    if (problem) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: problem, type: 'invalid_request_error', param: 'messages', code: null } }));
      return;
    }
    const reply = queue.shift() ?? { status: 500, body: '{"error":{"message":"no scripted reply"}}' };
    if ('status' in reply) {
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if ('cut' in reply) {
      for (const chunk of reply.cut) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      setTimeout(() => res.socket?.destroy(), 50);
      return;
    }
    if ('slow' in reply) {
      open.add(res);
      for (const chunk of reply.slow) {
        res.write(`data: ${JSON.stringify(chunk)}\n\n`);
        await new Promise((resolve) => setTimeout(resolve, reply.everyMs));
      }
      res.end('data: [DONE]\n\n');
      open.delete(res);
      return;
    }
    if ('hang' in reply) {
      open.add(res);
      if (reply.first) res.write(`data: ${JSON.stringify(reply.first)}\n\n`);
      return;
    }
    for (const chunk of reply.sse) res.write(`data: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { baseUrl: `http://127.0.0.1:${port}/v1`, port, requests, seen, reply: (...replies) => queue.push(...replies), close };
}

type ChatMessage = { role: string; tool_call_id?: string; tool_calls?: { id: string }[] };

/**
 * What OpenAI's API refuses in a conversation's tool messages, in its words: every call of an assistant message
 * answered by a tool message with its id before anything else, and no tool message that answers nothing.
 */
function toolMessageProblem(messages: ChatMessage[]): string | null {
  let open: string[] = [];
  for (const message of messages) {
    if (message.role === 'tool') {
      if (!open.includes(message.tool_call_id ?? '')) {
        return `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls' (tool_call_id ${message.tool_call_id}).`;
      }
      open = open.filter((id) => id !== message.tool_call_id);
      continue;
    }
    if (open.length > 0) {
      return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${open.join(', ')}`;
    }
    open = (message.tool_calls ?? []).map((call) => call.id);
  }
  return open.length > 0 ? `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${open.join(', ')}` : null;
}

/** OpenAI chat.completion.chunk builders. */
export const chunk = {
  text: (content: string) => ({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'fake-model', choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }] }),
  toolStart: (index: number, id: string, name: string) => ({
    id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'fake-model',
    choices: [{ index: 0, delta: { tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }] }, finish_reason: null }],
  }),
  toolArgs: (index: number, args: string) => ({
    id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'fake-model',
    choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: args } }] }, finish_reason: null }],
  }),
  finish: (reason: string, usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 }) => ({
    id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'fake-model', choices: [{ index: 0, delta: {}, finish_reason: reason }], usage,
  }),
};
