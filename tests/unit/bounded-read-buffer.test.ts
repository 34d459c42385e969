import { describe, expect, it } from 'vitest';
import { BoundedReadBuffer } from '../../src/core/mcp/bounded-read-buffer';
import { MAX_PASSED_OVER_FACTOR, OVERSIZED_MESSAGE_CODE } from '../../src/core/mcp/bounded-fetch';

const line = (message: unknown) => `${JSON.stringify(message)}\n`;
const small = line({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } });

/** Feeds the text in pieces of `size` bytes, and reads out every message. */
function read(buffer: BoundedReadBuffer, text: string, size = 7): unknown[] {
  const messages: unknown[] = [];
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) {
    buffer.append(bytes.subarray(at, at + size));
    for (let message = buffer.readMessage(); message; message = buffer.readMessage()) messages.push(message);
  }
  return messages;
}

describe("BoundedReadBuffer: a stdio server's output, measured message by message", () => {
  it('passes small messages on whole, however the output is cut', () => {
    const dropped: string[] = [];
    expect(read(new BoundedReadBuffer(200, (note) => dropped.push(note)), small + small.replace('\n', '\r\n'))).toEqual([JSON.parse(small), JSON.parse(small)]);
    expect(dropped).toEqual([]);
  });

  it("drops the server's own message beyond the limit, says so, and goes on", () => {
    const dropped: string[] = [];
    const big = line({ method: 'notifications/message', params: { level: 'info', data: 'n'.repeat(1_000) }, jsonrpc: '2.0' });
    expect(read(new BoundedReadBuffer(200, (note) => dropped.push(note)), small + big + small)).toEqual([JSON.parse(small), JSON.parse(small)]);
    expect(dropped).toEqual(["dropped a message of the server's larger than the 0 MB that one JSON-RPC message may have (notifications/message), unread"]);
  });

  it("refuses the server's own request beyond the limit with an error naming the limit, for its id, so the server is not left waiting", () => {
    const dropped: Array<[string, unknown]> = [];
    const big = line({ method: 'elicitation/create', params: { message: 'q'.repeat(1_000), requestedSchema: { type: 'object' } }, jsonrpc: '2.0', id: 3 });
    expect(read(new BoundedReadBuffer(200, (note, request) => dropped.push([note, request])), big + small)).toEqual([JSON.parse(small)]);
    expect(dropped).toEqual([
      [
        "dropped the server's request 3 (elicitation/create), larger than the 0 MB that one JSON-RPC message may have, unread, and answered it with an error saying so",
        {
          method: 'elicitation/create',
          answer: {
            jsonrpc: '2.0',
            id: 3,
            error: { code: OVERSIZED_MESSAGE_CODE, message: 'Portcullis did not read this elicitation/create request: it was larger than the 0 MB that one JSON-RPC message may have', data: { portcullis: 'oversized-request', limit: 200 } },
          },
        },
      ],
    ]);
  });

  it('answers the call an answer beyond the limit was for with an error in its place, told by its id', () => {
    const dropped: string[] = [];
    const big = line({ result: { content: [{ type: 'text', text: 'r'.repeat(1_000) }] }, jsonrpc: '2.0', id: 4 });
    const messages = read(new BoundedReadBuffer(200, (note) => dropped.push(note)), big + small, 64);
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 4, error: expect.objectContaining({ code: OVERSIZED_MESSAGE_CODE }) }, JSON.parse(small)]);
    expect(dropped).toEqual(["dropped the server's answer to request 4, larger than the 0 MB that one JSON-RPC message may have, unread, and failed that call"]);
  });

  it('fails as the SDK does for a line beyond the limit that says neither, or one that never ends', () => {
    expect(() => read(new BoundedReadBuffer(200, () => undefined), `${'z'.repeat(300)}\n`)).toThrow('ReadBuffer exceeded maximum size of 200 bytes');
    expect(() => read(new BoundedReadBuffer(200, () => undefined), `{"result":"${'z'.repeat(200 * MAX_PASSED_OVER_FACTOR)}`, 100)).toThrow('ReadBuffer exceeded maximum size of 200 bytes');
  });
});
