import { describe, expect, it } from 'vitest';
import { glimpseEvent } from '../../src/core/mcp/message-glimpse';

const big = 'x'.repeat(50);

describe('glimpseEvent: what the ends of a message too large to read say it is', () => {
  it("tells a TypeScript SDK server's answer by the id at its end, a Python one's by the id at its start", () => {
    expect(glimpseEvent(`event: message\ndata: {"result":{"content":[{"text":"${big}`, `${big}"}]},"jsonrpc":"2.0","id":7}\n`)).toEqual({ id: 7 });
    expect(glimpseEvent(`data: {"jsonrpc": "2.0", "id": "a-1", "result": {"content": "${big}`, `${big}"}}`)).toEqual({ id: 'a-1' });
  });

  it("tells the server's own request or notification by its method, at either end", () => {
    expect(glimpseEvent(`data: {"method":"notifications/message","params":{"data":"${big}`, `${big}"},"jsonrpc":"2.0"}\n`)).toEqual({ method: 'notifications/message' });
    expect(glimpseEvent(`data: {"params":{"message":"${big}`, `${big}"},"method":"elicitation/create","jsonrpc":"2.0","id":3}`)).toEqual({ method: 'elicitation/create', id: 3 });
    expect(glimpseEvent(`event: ping\ndata: ${big}`, big)).toEqual({ otherEvent: 'ping' });
  });

  it('finds no id inside the large member, nor in a string that only looks like one', () => {
    expect(glimpseEvent(`data: {"result":{"a":"${big}`, `${big}","id":3}}`)).toEqual({});
    expect(glimpseEvent(`data: {"result":"${big}`, String.raw`${big},\"id\":3"}`)).toEqual({});
    expect(glimpseEvent(`data: [{"jsonrpc":"2.0","id":1,`, `"id":2}]`)).toEqual({});
    expect(glimpseEvent(`data: ${big}`, big)).toEqual({});
  });
});
