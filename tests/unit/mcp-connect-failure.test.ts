import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { describeConnectFailure } from '../../src/core/mcp/connect-failure';
import { freePort } from '../helpers/free-port';

const fetchError = (url: string) => fetch(url).then(() => new Error('it answered'), (error: unknown) => error);

describe('why a server could not be reached, in words that say what to do', () => {
  it('a refusal for want of a credential says how to give one', () => {
    const said = describeConnectFailure(new StreamableHTTPError(401, 'Error POSTing to endpoint: unauthorized'));
    expect(said).toMatch(/^it refused Portcullis \(HTTP 401\): it wants a credential/);
    expect(said).toContain('"Authorization": "Bearer secret:NAME"');
    expect(describeConnectFailure(new StreamableHTTPError(403, 'x'))).toContain('HTTP 403');
  });

  it('a server too slow to start names the limit and the setting that gives it longer', () => {
    const timedOut = new McpError(ErrorCode.RequestTimeout, 'Request timed out');
    expect(describeConnectFailure(timedOut, { startupTimeoutMs: 30_000 })).toBe('it did not finish starting within 30 s (its "startupTimeoutMs" in mcp.json gives a slow server longer)');
  });

  it('"type": "sse" refused by a server that speaks Streamable HTTP says to take it out; a status of a server reached without it does not', () => {
    const refused = new SseError(400, 'Non-200 status code (400)', {} as never);
    expect(describeConnectFailure(refused, { remote: true, sseAsked: true })).toBe(
      'it answered HTTP 400 to the older HTTP+SSE transport that "type": "sse" asks for (SSE error: Non-200 status code (400)): a server that speaks Streamable HTTP, as most do now, connects once "type": "sse" is taken out of its entry',
    );
    expect(describeConnectFailure(refused, { remote: true })).toBe('it answered HTTP 400 (SSE error: Non-200 status code (400))');
  });

  it('a server that speaks another MCP version names it and the versions Portcullis speaks, its control characters taken out', () => {
    const said = describeConnectFailure(new Error("Server's protocol version is not supported: 1999-01-01\u001b[31m"));
    expect(said).toBe(
      'it speaks MCP version "1999-01-01", which Portcullis does not (it speaks 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05, 2024-10-07): an update of the server or of Portcullis brings them together. It is not restarted on its own: Restart tries it again',
    );
  });

  it('another status is named', () => {
    expect(describeConnectFailure(new StreamableHTTPError(502, 'Error POSTing to endpoint: bad gateway'))).toBe('it answered HTTP 502 (Streamable HTTP error: Error POSTing to endpoint: bad gateway)');
  });

  it("a network failure names the address and the system's code, not only fetch's 'fetch failed'", async () => {
    // Nothing listens there: fetch rejects with "fetch failed" and the refusal as its cause.
    const port = await freePort();
    expect(describeConnectFailure(await fetchError(`http://127.0.0.1:${port}/mcp`))).toBe(`it could not be reached at 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(describeConnectFailure(await fetchError('http://127.0.0.1:1/mcp'))).toBe('it failed to start (fetch failed: bad port)');
    expect(describeConnectFailure(new Error('spawn nope ENOENT'))).toBe('it failed to start (spawn nope ENOENT)');
  });

  it('a remote server is said not to be reached or connected to, not to have failed to start', () => {
    const sse = new SseError(undefined, 'TypeError: fetch failed: connect ECONNREFUSED 127.0.0.1:41459', {} as never);
    expect(describeConnectFailure(sse, { remote: true })).toBe('it could not be reached (connect ECONNREFUSED 127.0.0.1:41459)');
    expect(describeConnectFailure(new Error('socket hang up'), { remote: true })).toBe('it could not be connected to (socket hang up)');
  });
});
