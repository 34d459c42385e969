import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { StoredInitialize } from '../core/storage/stores/mcp-session-store';

/**
 * Makes a new server transport (and the SDK `Server` connected to it) the session a client opened before Portcullis
 * restarted: the transport must have been made with a session id generator that returns the stored id.
 *
 * Why a workaround: the SDK (1.32) makes a transport a session only when it handles an `initialize` request
 * (`_initialized` and `sessionId` are set there and nowhere else; typescript-sdk#1658 asks for a way to restore
 * one), and its Node transport takes only Node requests. So the client's stored initialize, and then its
 * `notifications/initialized`, are replayed in process as Web requests to the Web-standard transport the Node one
 * wraps (`_webStandardTransport`, private: the one thing used here that the SDK does not offer). Everything after
 * that is the SDK's own path, as for the client's real initialize: the transport takes the generated id, the
 * `Server` negotiates the same protocol version and keeps the client's capabilities and name. The answers go
 * nowhere (the client has them). False when this SDK is not shaped so, or refused the replay: the session is then
 * not found, as it was before sessions were kept.
 */
export async function reviveTransport(transport: StreamableHTTPServerTransport, sessionId: string, initialize: StoredInitialize): Promise<boolean> {
  const inner = (transport as unknown as { _webStandardTransport?: WebStandardStreamableHTTPServerTransport })._webStandardTransport;
  if (typeof inner?.handleRequest !== 'function') return false;
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const opened = await inner.handleRequest(new Request('http://127.0.0.1/mcp', { method: 'POST', headers }), {
    parsedBody: { jsonrpc: '2.0', id: 0, method: 'initialize', params: initialize },
  });
  // The answer (an SSE stream that ends with it) is read so that the Server has handled the initialize.
  const answer = await opened.text();
  if (!opened.ok || !answer.includes('"protocolVersion"') || transport.sessionId !== sessionId) return false;
  const initialized = await inner.handleRequest(new Request('http://127.0.0.1/mcp', { method: 'POST', headers: { ...headers, 'mcp-session-id': sessionId } }), {
    parsedBody: { jsonrpc: '2.0', method: 'notifications/initialized' },
  });
  return initialized.status === 202;
}
