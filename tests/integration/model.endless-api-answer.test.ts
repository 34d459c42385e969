import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { MAX_API_ANSWER_BYTES } from '../../src/core/model/bounded-json';
import { detectContextWindow } from '../../src/core/model/context-window';
import { listModels } from '../../src/core/model/local-server-detection';

const UP_TO = 48 * 1024 * 1024;

/** A server that answers every request 200 JSON and then bytes without end (up to 48 MB each), as no model server does. */
async function endlessAnswerServer() {
  let sent = 0;
  const block = Buffer.alloc(1 << 20, ' ');
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"data": [');
    let sentHere = 0;
    const pump = () => {
      while (!response.destroyed && sentHere < UP_TO) {
        sentHere += block.byteLength;
        sent += block.byteLength;
        if (!response.write(block)) return;
      }
      if (!response.destroyed) response.end(']}');
    };
    response.on('drain', pump);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.on('connection', (socket) => onTestFinished(() => void socket.destroy()));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, sent: () => sent };
}

describe("a model server's API answering without end", () => {
  it('is read no further than 4 MB when its models or context window are looked up, where each look read until its time ran out', async () => {
    const server = await endlessAnswerServer();
    expect(await listModels(server.baseUrl, 20_000)).toBeNull();
    expect(await detectContextWindow(server.baseUrl, 'm', { timeoutMs: 20_000 })).toBeNull();
    // Six requests in all, each stopped a little past the limit (what was in flight when it was cut).
    expect(server.sent()).toBeLessThan(6 * (MAX_API_ANSWER_BYTES + 4 * 1024 * 1024));
  }, 40_000);
});
