import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isInitializeRequest, isJSONRPCErrorResponse, isJSONRPCRequest, isJSONRPCResultResponse, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { CliUsageError, type CommandContext } from '../command';
import { otherUsersListener } from '../loopback-listener';

/** The desktop app's Local API port by default (Settings → Local API), as README's client entries say. */
const DEFAULT_PORT = '47800';
export const MCP_KEY_VARIABLE = 'PORTCULLIS_API_KEY';
/**
 * How long the relay still waits, once the client has closed its input, for the answers to what it asked before
 * (`echo '…' | portcullis mcp`): bounded, as a client that quits waits for the server to exit.
 */
const ANSWERS_AFTER_INPUT_CLOSED_MS = 10_000;

export const mcpHelp = `portcullis mcp [--port ${DEFAULT_PORT}] [--tools GLOB,GLOB…]
  Portcullis as a stdio MCP server, for a client that only starts those (Claude Desktop): relays its standard input
  and output to the running Portcullis' /mcp on 127.0.0.1 (\`serve\`, or the desktop app's Settings → Local API), with
  the key in ${MCP_KEY_VARIABLE} (portcullis keys create --name "Claude Desktop" --scope tools). Every call is governed
  there; --tools picks the tools the client is offered, as /mcp?tools= does.`;

/**
 * `portcullis mcp`: a stdio-to-Streamable-HTTP relay, message for message (the session, its tools/list_changed and
 * progress included), so a stdio-only client reaches the same governed endpoint as Cursor or Claude Code. Nothing
 * but JSON-RPC is written to standard output; what goes wrong is said to the client as the error of its request.
 */
export async function mcpCommand({ values }: CommandContext): Promise<number> {
  const key = process.env[MCP_KEY_VARIABLE];
  if (!key) throw new CliUsageError(`Set ${MCP_KEY_VARIABLE} to an API key with the tools scope (portcullis keys create --name "Claude Desktop" --scope tools).`);
  const port = values.port ?? DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(port)) throw new CliUsageError(`--port takes a port number, not "${port}".`);
  const url = new URL(`http://127.0.0.1:${port}/mcp`);
  if (values.tools) url.searchParams.set('tools', values.tools);

  const local = new StdioServerTransport();
  // Each request first makes sure the port is this user's program: another's, holding it while Portcullis is not
  // running, would collect the key.
  const guarded: typeof fetch = async (input, init) => {
    const why = otherUsersListener(Number(port));
    if (why) throw new Error(why);
    return fetch(input, init);
  };
  const remote = new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${key}` } }, fetch: guarded });
  const done = new Promise<number>((resolve) => {
    local.onclose = () => {
      // The client went away: its session ends with it, as a client that says goodbye ends it.
      void remote.terminateSession().catch(() => undefined).finally(() => void remote.close().then(() => resolve(0), () => resolve(0)));
    };
  });
  // The client's requests not answered yet: once its input has closed, the relay ends when the last one is.
  const unanswered = new Set<RequestId>();
  let inputClosed = false;
  let closing: NodeJS.Timeout | undefined;
  const end = (): void => {
    clearTimeout(closing);
    // Said to each request still open, as its error: the client, not Portcullis, stopped waiting.
    for (const id of [...unanswered]) answerWithError(id, `The client closed its input, and Portcullis had not answered within ${ANSWERS_AFTER_INPUT_CLOSED_MS / 1000} s; the request was withdrawn.`);
    void local.close();
  };
  const answered = (id: RequestId): void => {
    unanswered.delete(id);
    if (inputClosed && unanswered.size === 0) end();
  };
  const answerWithError = (id: RequestId, message: string): void => {
    if (!unanswered.has(id)) return;
    void local.send({ jsonrpc: '2.0', id, error: { code: -32000, message } }).catch(() => undefined);
    answered(id);
  };
  remote.onmessage = (message) => {
    // The relay speaks the version the two ends agreed on, as the SDK's own client does after initialize.
    if (isJSONRPCResultResponse(message) && typeof message.result.protocolVersion === 'string') remote.setProtocolVersion(message.result.protocolVersion);
    void local.send(message).catch(() => undefined);
    if ((isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) && message.id !== undefined) answered(message.id);
  };
  remote.onerror = (error) => process.stderr.write(`portcullis mcp: ${error.message}\n`);
  // What a client sends behind its initialize, before the answer (and with it the session id) came back, waits for
  // it: sent at once it would reach /mcp with no session, "Server not initialized". After that, nothing waits.
  let initialized: Promise<unknown> = Promise.resolve();
  local.onmessage = (message: JSONRPCMessage) => {
    if (isJSONRPCRequest(message)) unanswered.add(message.id);
    const sent = initialized.then(() => remote.send(message));
    if (isInitializeRequest(message)) initialized = sent.catch(() => undefined);
    sent.catch((error: unknown) => {
      if (isJSONRPCRequest(message)) answerWithError(message.id, unreachable(error, url));
    });
  };
  await remote.start();
  await local.start();
  // The client closing its end of the pipe (quitting, or a pipe that ends at once) ends the relay, once what it asked
  // before is answered (or the wait runs out); the stdio transport itself does not watch it.
  process.stdin.once('end', () => {
    inputClosed = true;
    if (unanswered.size === 0) return end();
    process.stderr.write(`portcullis mcp: the client closed its input; answering the ${unanswered.size} requests it sent first (waiting up to ${ANSWERS_AFTER_INPUT_CLOSED_MS / 1000} s)\n`);
    closing = setTimeout(end, ANSWERS_AFTER_INPUT_CLOSED_MS);
  });
  return done;
}

/** Why Portcullis did not answer, in words the client shows its person. */
function unreachable(error: unknown, url: URL): string {
  if (error instanceof StreamableHTTPError && (error.code === 401 || error.code === 403)) {
    return `Portcullis at ${url.origin} refused the key in ${MCP_KEY_VARIABLE}: ${error.message.replace(/^Streamable HTTP error: /, '')}`;
  }
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  if (cause === 'ECONNREFUSED') return `Portcullis is not running on ${url.host}: start \`portcullis serve --port ${url.port}\`, or turn on Settings → Local API in the app.`;
  return `Portcullis at ${url.origin} did not answer: ${error instanceof Error ? error.message : String(error)}`;
}
