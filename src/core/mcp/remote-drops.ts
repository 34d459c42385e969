import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { messageOf } from '../../shared/errors';
import { describeConnectFailure } from './connect-failure';

/**
 * Why a remote server's connection is over, when the transport's error says it is: the network, or the server
 * ending the session, and no fault in what the server said (so a read-only call under way may be tried again once
 * it is back). Null for any other error.
 */
export function remoteDropReason(error: Error): string | null {
  // The spec's answer to a session the server no longer knows (it restarted, or let it expire): start a new one.
  if (error instanceof StreamableHTTPError && error.code === 404) return 'it no longer knew its session (HTTP 404)';
  if (error instanceof SseError || /^SSE stream disconnected/.test(error.message)) return `its connection closed (${messageOf(error)})`;
  // The SDK gave up opening its GET stream again after it broke.
  if (/^Maximum reconnection attempts/.test(error.message)) return 'its connection closed (its event stream could not be opened again)';
  if (error instanceof TypeError && error.message === 'fetch failed') return `its connection closed (${describeConnectFailure(error, { remote: true })})`;
  return null;
}
