import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createModelProvider } from '../../src/core/model/provider-factory';
import type { ModelChunk } from '../../src/core/model/model-provider';

/**
 * A server at the model's address that streams bytes and never a line break (a reply's events end in one): until the
 * client leaves, or 48 MB (where the test would otherwise wait out the silence limit with gigabytes held).
 */
const UP_TO = 48 * 1024 * 1024;

async function endlessLineServer() {
  let clientLeft = false;
  let sent = 0;
  const block = Buffer.alloc(1 << 20, 'a');
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write('data: {"id":"c1","object":"chat.completion.chunk","created":0,"model":"fake-model","choices":[{"index":0,"delta":{"content":"');
    const pump = () => {
      while (!response.destroyed && sent < UP_TO) {
        sent += block.byteLength;
        if (!response.write(block)) return;
      }
      if (!response.destroyed) response.end();
    };
    response.on('drain', pump);
    response.on('close', () => (clientLeft = true));
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.on('connection', (socket) => onTestFinished(() => void socket.destroy()));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, clientLeft: () => clientLeft, sent: () => sent };
}

describe('a model server that streams without a line break', () => {
  it('is stopped being read past 10 MB, and the turn says why, where the app held it all in memory until it died of it', async () => {
    const server = await endlessLineServer();
    const model = createModelProvider({ provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native' }, undefined);
    const chunks: ModelChunk[] = [];
    const read = (async () => {
      for await (const chunk of model.stream({ messages: [{ role: 'user', content: 'hi' }], tools: [] })) chunks.push(chunk);
    })();
    await expect(read).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: `The server of fake-model on ${server.baseUrl} sent more than 10 MB without a line break, which no part of a reply is, so Portcullis stopped reading it and ended the turn. Check that the model's address points at a model server, then Retry.`,
    });
    expect(chunks).toEqual([]);
    await expect.poll(server.clientLeft).toBe(true);
    expect(server.sent()).toBeLessThan(UP_TO);
  }, 20_000);
});
