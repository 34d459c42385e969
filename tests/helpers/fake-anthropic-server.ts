import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** One scripted answer to POST /v1/messages: a tool call, text, or an error status with its body. */
export type FakeAnthropicReply = { toolUse: { id: string; name: string; input: unknown } } | { text: string } | { status: number; error: { type: string; message: string } };

/** A content block of a request's message, as Anthropic's Messages API takes it. */
export type AnthropicBlock = { type: string; text?: string; tool_use_id?: string; content?: string | AnthropicBlock[]; source?: { type: string; media_type?: string; data?: string } };
export type AnthropicRequest = { model: string; messages: { role: string; content: string | AnthropicBlock[] }[] };

export interface FakeAnthropicServer {
  /** The API's base URL, as the provider takes it (`…/v1`). */
  baseUrl: string;
  requests: AnthropicRequest[];
  /** Each request's API key (its x-api-key header). */
  apiKeys: string[];
  reply(...replies: FakeAnthropicReply[]): void;
}

const SIGNATURES: Record<string, string> = { 'image/png': '89504e470d0a1a0a', 'image/jpeg': 'ffd8ff', 'image/gif': '474946383', 'image/webp': '52494646' };

/**
 * A real HTTP server on 127.0.0.1 that answers Anthropic's Messages API (POST /v1/messages, streamed as server-sent
 * events) with scripted replies, and refuses, as the API does, an image whose bytes are not the type it claims.
 * Closed after the test.
 */
export async function startFakeAnthropicServer(): Promise<FakeAnthropicServer> {
  const queue: FakeAnthropicReply[] = [];
  const requests: AnthropicRequest[] = [];
  const apiKeys: string[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    if (`${req.method} ${req.url}` !== 'POST /v1/messages') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"type":"error","error":{"type":"not_found_error","message":"Not found"}}');
      return;
    }
    const request = JSON.parse(body) as AnthropicRequest;
    requests.push(request);
    apiKeys.push(String(req.headers['x-api-key'] ?? ''));
    const problem = imageProblem(request);
    const reply = queue.shift();
    if (problem || !reply || 'status' in reply) {
      const [status, error] = reply && 'status' in reply && !problem ? [reply.status, reply.error] : [400, { type: 'invalid_request_error', message: problem ?? 'no scripted reply' }];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', error }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: request.model, content: [], stop_reason: null, usage: { input_tokens: 25, output_tokens: 1 } } });
    if ('toolUse' in reply) {
      const { id, name, input } = reply.toolUse;
      send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id, name, input: {} } });
      send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(input) } });
    } else {
      send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: reply.text } });
    }
    send('content_block_stop', { type: 'content_block_stop', index: 0 });
    send('message_delta', { type: 'message_delta', delta: { stop_reason: 'toolUse' in reply ? 'tool_use' : 'end_turn' }, usage: { output_tokens: 9 } });
    send('message_stop', { type: 'message_stop' });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests, apiKeys, reply: (...replies) => queue.push(...replies) };
}

/** Every image block of a request, tool results' included. */
export function imagesOf(request: AnthropicRequest): AnthropicBlock[] {
  const blocks = request.messages.flatMap((message) => (typeof message.content === 'string' ? [] : message.content));
  return blocks.flatMap((block) => [block, ...(Array.isArray(block.content) ? block.content : [])]).filter((block) => block.type === 'image');
}

function imageProblem(request: AnthropicRequest): string | null {
  for (const image of imagesOf(request)) {
    const { media_type: mediaType = '', data = '' } = image.source ?? {};
    const signature = SIGNATURES[mediaType];
    if (!signature || !Buffer.from(data.slice(0, 16), 'base64').toString('hex').startsWith(signature)) return 'Could not process image';
  }
  return null;
}
