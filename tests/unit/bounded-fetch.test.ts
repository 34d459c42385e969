import { describe, expect, it } from 'vitest';
import { boundedFetch, MAX_PASSED_OVER_FACTOR, OVERSIZED_MESSAGE_CODE } from '../../src/core/mcp/bounded-fetch';

/** A server's answer arriving in these pieces. */
const answering = (pieces: string[], contentType: string) => async () =>
  new Response(
    new ReadableStream({
      start(controller) {
        for (const piece of pieces) controller.enqueue(new TextEncoder().encode(piece));
        controller.close();
      },
    }),
    { status: 200, headers: { 'content-type': contentType } },
  );

const post = (id: number) => ({ method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: {} }) });
const get = { method: 'GET' };

describe('boundedFetch', () => {
  it('passes an event stream on whole, event by event, however it is cut and whatever its line ends', async () => {
    const stream = 'data: {"a":1}\r\n\r\nid: 7\ndata: {"b":2}\n\ndata: {"c":3}\r\rdata: {"d"\r\n:4}\r\n\r\n';
    const pieces = stream.match(/.{1,3}/gs)!;
    const response = await boundedFetch(40, answering(pieces, 'text/event-stream'))('http://x', get);
    expect(await response.text()).toBe(stream);
  });

  it('an event beyond the limit on an answer to a POST becomes an error for its request, and the stream ends there', async () => {
    const small = 'data: {"jsonrpc":"2.0","method":"n"}\n\n';
    // Many short lines with CRLF ends: the size of the event counts, not of a line.
    const large = `data: ${'y'.repeat(20)}\r\n`.repeat(10);
    const response = await boundedFetch(100, answering([small, large, '\r\n', small], 'text/event-stream'))('http://x', post(5));
    const text = await response.text();
    expect(text.startsWith(small)).toBe(true);
    const error = JSON.parse(text.slice(small.length).split('\n')[1]!.slice('data: '.length));
    expect(error).toMatchObject({ id: 5, error: { code: OVERSIZED_MESSAGE_CODE, data: { portcullis: 'oversized-message', limit: 100 } } });
    expect(text).not.toContain('yyyy');
  });

  it('on a stream that answers no request (the GET stream) an event beyond the limit that says neither method nor id is dropped, said, and the stream goes on', async () => {
    const small = 'data: {"jsonrpc":"2.0","method":"n"}\n\n';
    // A batch: its start and end name no member.
    const batch = `data: [{"jsonrpc":"2.0","method":"notifications/message","params":{"data":"${'z'.repeat(200)}"}}]\n\n`;
    const dropped: string[] = [];
    const response = await boundedFetch(100, answering([small, ...batch.match(/.{1,30}/gs)!, small], 'text/event-stream'), (note) => dropped.push(note))('http://x', get);
    expect(await response.text()).toBe(small + small);
    expect(dropped).toEqual(["dropped a message of the server's larger than the 0 MB that one JSON-RPC message may have, unread; its start and end said neither what it was nor which request it answered"]);
  });

  it("answers the server's own request beyond the limit, on any stream, with an error naming the limit, and the stream goes on", async () => {
    const small = 'data: {"jsonrpc":"2.0","method":"n"}\n\n';
    const request = `data: {"method":"sampling/createMessage","params":{"messages":[{"role":"user","content":{"type":"text","text":"${'s'.repeat(300)}"}}]},"jsonrpc":"2.0","id":"r-1"}\n\n`;
    for (const init of [get, post(5)]) {
      const dropped: Array<[string, unknown]> = [];
      const response = await boundedFetch(100, answering([small, request, small], 'text/event-stream'), (note, asked) => dropped.push([note, asked]))('http://x', init);
      expect(await response.text()).toBe(small + small);
      expect(dropped).toEqual([
        [
          `dropped the server's request "r-1" (sampling/createMessage), larger than the 0 MB that one JSON-RPC message may have, unread, and answered it with an error saying so`,
          { method: 'sampling/createMessage', answer: { jsonrpc: '2.0', id: 'r-1', error: expect.objectContaining({ code: OVERSIZED_MESSAGE_CODE, message: expect.stringContaining('larger than the 0 MB') }) } },
        ],
      ]);
    }
  });

  it("passes over the server's own message beyond the limit, on any stream, says so, and the stream goes on", async () => {
    const small = 'data: {"jsonrpc":"2.0","method":"n"}\n\n';
    const notification = `event: message\r\nid: 4\r\ndata: {"method":"notifications/message","params":{"data":"${'n'.repeat(300)}"},"jsonrpc":"2.0"}\r\n\r\n`;
    for (const init of [get, post(5)]) {
      const dropped: string[] = [];
      const response = await boundedFetch(100, answering([small, ...notification.match(/.{1,7}/gs)!, small], 'text/event-stream'), (note) => dropped.push(note))('http://x', init);
      expect(await response.text()).toBe(small + small);
      expect(dropped).toEqual(["dropped a message of the server's larger than the 0 MB that one JSON-RPC message may have (notifications/message), unread"]);
    }
  });

  it('an answer beyond the limit on the GET stream fails the request whose id its end says, and the stream goes on', async () => {
    const small = 'data: {"jsonrpc":"2.0","method":"n"}\n\n';
    const answer = `data: {"result":{"content":[{"type":"text","text":"${'r'.repeat(5_000)}"}]},"jsonrpc":"2.0","id":12}\n\n`;
    const dropped: string[] = [];
    const response = await boundedFetch(100, answering([answer, small], 'text/event-stream'), (note) => dropped.push(note))('http://x', get);
    const [error, rest] = (await response.text()).split('\n\n');
    expect(JSON.parse(error!.split('\n')[1]!.slice('data: '.length))).toMatchObject({ id: 12, error: { code: OVERSIZED_MESSAGE_CODE } });
    expect(`${rest}\n\n`).toBe(small);
    expect(dropped).toEqual(["dropped the server's answer to request 12, larger than the 0 MB that one JSON-RPC message may have, unread, and failed that call"]);
  });

  it('fails a stream whose message passed over goes on past ten times the limit (a server flooding it)', async () => {
    const endless = `data: {"method":"notifications/message","params":{"data":"${'n'.repeat(100 * MAX_PASSED_OVER_FACTOR)}`;
    const response = await boundedFetch(100, answering(endless.match(/.{1,50}/gs)!, 'text/event-stream'))('http://x', get);
    await expect(response.text()).rejects.toThrow(/larger than the 0 MB that one JSON-RPC message may have/);
  });

  it('a JSON answer beyond the limit becomes an error for the request, with its declared size', async () => {
    const base = async () => new Response('x'.repeat(500), { status: 200, headers: { 'content-type': 'application/json', 'content-length': '500' } });
    const response = await boundedFetch(100, base)('http://x', post(9));
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: 9, error: { code: OVERSIZED_MESSAGE_CODE, data: { limit: 100, bytes: 500 } } });
  });

  it('any other body fails to read beyond the limit', async () => {
    const base = async () => new Response('e'.repeat(500), { status: 500, headers: { 'content-type': 'text/plain' } });
    const response = await boundedFetch(100, base)('http://x', post(1));
    expect(response.status).toBe(500);
    await expect(response.text()).rejects.toThrow(/larger than/);
  });
});
