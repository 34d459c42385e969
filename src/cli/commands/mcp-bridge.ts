import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { isInitializeRequest, isJSONRPCRequest, isJSONRPCResultResponse, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CliUsageError, type CommandContext } from '../command';
import { otherUsersListener } from '../loopback-listener';

/** The desktop app's Local API port by default (Settings → Local API), as README's client entries say. */
const DEFAULT_PORT = '47800';
export const MCP_KEY_VARIABLE = 'PORTCULLIS_API_KEY';

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
  remote.onmessage = (message) => {
    // The relay speaks the version the two ends agreed on, as the SDK's own client does after initialize.
    if (isJSONRPCResultResponse(message) && typeof message.result.protocolVersion === 'string') remote.setProtocolVersion(message.result.protocolVersion);
    void local.send(message).catch(() => undefined);
  };
  remote.onerror = (error) => process.stderr.write(`portcullis mcp: ${error.message}\n`);
  // What a client sends behind its initialize, before the answer (and with it the session id) came back, waits for
  // it: sent at once it would reach /mcp with no session, "Server not initialized". After that, nothing waits.
  let initialized: Promise<unknown> = Promise.resolve();
  local.onmessage = (message: JSONRPCMessage) => {
    const sent = initialized.then(() => remote.send(message));
    if (isInitializeRequest(message)) initialized = sent.catch(() => undefined);
    sent.catch((error: unknown) => {
      if (!isJSONRPCRequest(message)) return;
      void local.send({ jsonrpc: '2.0', id: message.id, error: { code: -32000, message: unreachable(error, url) } }).catch(() => undefined);
    });
  };
  await remote.start();
  await local.start();
  // The client closing its end of the pipe (quitting) ends the relay; the stdio transport itself does not watch it.
  process.stdin.once('end', () => void local.close());
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
