import { describe, expect, it } from 'vitest';
import { BoundedReadBuffer } from '../../src/core/mcp/bounded-read-buffer';
import { MAX_PASSED_OVER_FACTOR, OVERSIZED_MESSAGE_CODE } from '../../src/core/mcp/bounded-fetch';
import { PendingRequests } from '../../src/core/mcp/pending-requests';

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

  it('fails as the SDK does for a line beyond the limit that never ends (a server flooding its output)', () => {
    expect(() => read(new BoundedReadBuffer(200, () => undefined), `{"result":"${'z'.repeat(200 * MAX_PASSED_OVER_FACTOR)}`, 100)).toThrow('ReadBuffer exceeded maximum size of 200 bytes');
  });
});

describe('BoundedReadBuffer: a line beyond the limit that names neither a method nor a request', () => {
  /** A buffer with requests `ids` sent and waiting, as `measureEachMessage` keeps them. */
  const waitingFor = (ids: number[], dropped: string[]) => {
    const pending = new PendingRequests();
    for (const id of ids) pending.sent({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x' } });
    return { buffer: new BoundedReadBuffer(200, (note) => dropped.push(note), pending), pending };
  };
  /** An answer whose id sits in its middle, between two large members: its start and end name nothing. */
  const buried = (id: number) => line({ result: { content: [{ type: 'text', text: 'r'.repeat(500) }] }, id, jsonrpc: '2.0', _meta: { more: 'm'.repeat(500) } });

  it("with one request waiting, is taken for that one's answer: it fails with the error that names the limit, the server kept", () => {
    const dropped: string[] = [];
    const { buffer, pending } = waitingFor([5], dropped);
    expect(read(buffer, buried(5) + small, 64)).toEqual([{ jsonrpc: '2.0', id: 5, error: expect.objectContaining({ code: OVERSIZED_MESSAGE_CODE }) }, JSON.parse(small)]);
    expect(dropped).toEqual([
      "dropped a message of the server's larger than the 0 MB that one JSON-RPC message may have, unread; its start and end named no request, and it was taken for the answer to request 5, the only one waiting, which failed",
    ]);
    expect(pending.waiting).toEqual([]);
  });

  it('with several waiting, fails none of them (which it answered cannot be told): each goes on to its answer or its time limit', () => {
    const dropped: string[] = [];
    const { buffer, pending } = waitingFor([5, 6], dropped);
    const answer6 = line({ result: { content: [] }, jsonrpc: '2.0', id: 6 });
    expect(read(buffer, buried(5) + answer6, 64)).toEqual([JSON.parse(answer6)]);
    expect(dropped).toEqual([
      "dropped a message of the server's larger than the 0 MB that one JSON-RPC message may have, unread; its start and end said neither what it was nor which request it answered; which of the 2 requests waiting it answered cannot be told, so each goes on to its answer or its time limit",
    ]);
    expect(pending.waiting).toEqual([5]);
  });

  it('that is no JSON at all (a stray print to stdout) answers nothing: dropped, no call fails, with one waiting or none', () => {
    for (const ids of [[], [5]]) {
      const dropped: string[] = [];
      const { buffer, pending } = waitingFor(ids, dropped);
      expect(read(buffer, `${'z'.repeat(300)}\n${small}`)).toEqual([JSON.parse(small)]);
      expect(dropped).toEqual(["dropped a line that is no JSON-RPC message of the server's larger than the 0 MB that one JSON-RPC message may have, unread"]);
      expect(pending.waiting).toEqual(ids);
    }
  });

  it('does not count a request its client cancelled as waiting (its answer may never come)', () => {
    const dropped: string[] = [];
    const { buffer, pending } = waitingFor([5, 6], dropped);
    pending.sent({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 6, reason: 'timed out' } });
    expect(read(buffer, buried(5), 64)).toEqual([{ jsonrpc: '2.0', id: 5, error: expect.objectContaining({ code: OVERSIZED_MESSAGE_CODE }) }]);
  });
});
