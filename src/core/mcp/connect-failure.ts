import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { limitInWords } from '../../shared/durations';
import { messageOf } from '../../shared/errors';
import { SandboxNotMade } from '../sandbox/sandbox-not-made';
import { stripControlChars } from '../tools/output-sanitizer';
import { inMegabytes, isOversizedAnswer } from './bounded-fetch';
import { ProgramNotInstalled } from './find-program';

/**
 * Why a server could not be started or reached, in words that say what to do. For remote servers the SDK's own
 * messages ("Error POSTing to endpoint: …", "fetch failed") name neither the HTTP status nor the network error.
 */
export function describeConnectFailure(error: unknown, context: { oauthFailed?: boolean; startupTimeoutMs?: number; remote?: boolean; sseAsked?: boolean; redact?: (text: string) => string } = {}): string {
  // Its own words say why and what to change: not wrapped in "it failed to start (…)".
  if (error instanceof SandboxNotMade || error instanceof ProgramNotInstalled) return error.message;
  // Its list of tools (or its answer to initialize) past what one message may have: it answers the same each start.
  if (isOversizedAnswer(error)) {
    return `its answer as it started was larger than the ${inMegabytes(error.data.limit)} that one JSON-RPC message may have (its list of tools, most likely), so Portcullis did not read it; its maker can correct it (fewer tools a page). It is not restarted on its own: Restart tries it again`;
  }
  const version = otherProtocolVersion(error, context.redact);
  if (version !== null) {
    return `it speaks MCP version ${JSON.stringify(version)}, which Portcullis does not (it speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}): an update of the server or of Portcullis brings them together. It is not restarted on its own: Restart tries it again`;
  }
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout && context.startupTimeoutMs !== undefined) {
    return `it did not finish starting within ${limitInWords(context.startupTimeoutMs)} (its "startupTimeoutMs" in mcp.json gives a slow server longer)`;
  }
  const status = error instanceof StreamableHTTPError || error instanceof SseError ? error.code : undefined;
  const giveCredential =
    'Give it one in the server\'s "headers", e.g. "Authorization": "Bearer secret:NAME" with the token saved in the ' +
    'OS keychain (Settings → Secrets, or `portcullis secrets set NAME`).';
  if (status === 401 || status === 403) return `it refused Portcullis (HTTP ${status}): it wants a credential. ${giveCredential}`;
  // It asked for authorization, and the OAuth sign-in the SDK tried for it could not start: no sign-in it offers.
  if (context.oauthFailed) return `it refused Portcullis, and its OAuth sign-in could not start (${messageOf(error)}). If it takes a token instead: ${giveCredential}`;
  // "type": "sse" pasted for a server that speaks Streamable HTTP: the old transport's GET is refused as a bad request.
  if (context.sseAsked && error instanceof SseError && (status === 400 || status === 404 || status === 405)) {
    return `it answered HTTP ${status} to the older HTTP+SSE transport that "type": "sse" asks for (${messageOf(error)}): a server that speaks Streamable HTTP, as most do now, connects once "type": "sse" is taken out of its entry`;
  }
  if (status !== undefined && status > 0) return `it answered HTTP ${status} (${messageOf(error)})`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; address?: unknown; port?: unknown; message?: unknown } | undefined) : undefined;
  if (messageOf(error) === 'fetch failed' && typeof cause?.code === 'string') {
    const where = typeof cause.address === 'string' ? ` at ${cause.address}${typeof cause.port === 'number' ? `:${cause.port}` : ''}` : '';
    return `it could not be reached${where} (${cause.code})`;
  }
  // The older SSE transport says it in one line: "SSE error: TypeError: fetch failed: connect ECONNREFUSED 127.0.0.1:80".
  const unreachable = error instanceof SseError ? /fetch failed: (.+)$/.exec(messageOf(error)) : null;
  if (unreachable) return `it could not be reached (${unreachable[1]})`;
  const detail = messageOf(error) === 'fetch failed' && typeof cause?.message === 'string' ? `: ${cause.message}` : '';
  // A remote server is not started by Portcullis: connecting to it failed.
  return `${context.remote ? 'it could not be connected to' : 'it failed to start'} (${messageOf(error)}${detail})`;
}

/**
 * The MCP version a server answered initialize with, when the SDK refused it as one it does not speak (its words are
 * all it gives), cleaned; else null. Starting it again meets the same version: it is not restarted on its own.
 */
export function otherProtocolVersion(error: unknown, redact: (text: string) => string = (text) => text): string | null {
  const said = error instanceof Error ? /^Server's protocol version is not supported: (.*)$/s.exec(error.message) : null;
  // Its secrets are hidden before it is cut: a secret cut short is no longer found whole, and its start was shown.
  return said ? stripControlChars(redact(said[1]!)).slice(0, 40) : null;
}
