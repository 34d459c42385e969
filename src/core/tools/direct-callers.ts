import { TERMINAL_CALLER, type CredentialHolder } from '../auth/caller-label';
import { DIRECT_CALL_NOTE, TERMINAL_AUTHOR, type DirectCaller } from './direct-tool-call';

const argsText = (args: unknown): string => JSON.stringify(args ?? {}) ?? '{}';

/** A client names itself, at any length: its label in a message's header stays a name, not a paragraph. */
const AUTHOR_NAME_CHARS = 60;
const shortName = (name: string): string => {
  const oneLine = name.replace(/\s+/g, ' ').trim();
  return oneLine.length > AUTHOR_NAME_CHARS ? `${oneLine.slice(0, AUTHOR_NAME_CHARS - 1)}…` : oneLine;
};

/**
 * A call a script made through the local API (`tools.call`): its conversation says so and by which credential,
 * so an approval it waits for reads as the script's, not as the person's own chat. `callerName`: the credential's
 * own name first ("backup · API key", callerNameFirst), which titles the caller's conversation of the day.
 */
export function localApiCaller(toolName: string, args: unknown, who: string, callerName?: string): DirectCaller {
  // `portcullis tools call` through the running app: recorded as the terminal's own call is when no app runs.
  if (who === TERMINAL_CALLER) {
    return {
      title: `Direct call: ${toolName}`,
      author: TERMINAL_AUTHOR,
      request: `portcullis tools call ${toolName} --args ${argsText(args)}`,
      note: DIRECT_CALL_NOTE,
      attributes: { 'portcullis.caller': who, 'portcullis.caller.channel': 'tools.call' },
    };
  }
  return {
    title: `${toolName} · local API (${who})`,
    author: `Local API (${shortName(who)})`,
    ...(callerName === undefined ? {} : { callerName }),
    // Who called is its message's header and its trace's: the request says what was asked, not again by whom.
    request: `tools.call ${toolName} ${argsText(args)}`,
    note: `Called through the local API (tools.call) by ${who}: no model took part; the card above shows the outcome.`,
    attributes: { 'portcullis.caller': who, 'portcullis.caller.channel': 'tools.call' },
  };
}

/** Two names are one when they differ only in case and spacing: key "Claude Code" for a client that says "claude-code". */
export const plainName = (name: string): string => name.replace(/[\s_-]+/g, ' ').trim().toLowerCase();
const sameName = (a: string, b: string): boolean => plainName(a) === plainName(b);

/**
 * "Cursor (MCP)", or "Claude Desktop (MCP, key "shady")": a client names itself, so any key could call itself
 * "Claude Desktop"; whose credential it holds is said too unless that credential carries the same name.
 */
function mcpClientAuthor(client: string, holder: CredentialHolder): string {
  return ownName(client, holder) ? `${shortName(client)} (MCP)` : `${shortName(client)} (MCP, ${shortName(holder.label)})`;
}

const ownName = (client: string, holder: CredentialHolder): boolean => holder.name !== undefined && sameName(client, holder.name);

/**
 * "Cursor · MCP", "Claude Desktop · MCP, key "shady"": the client's name first, as a script's "backup · API key",
 * and the key after it unless the key carries the same name; its conversation of the day is titled so.
 */
function mcpClientName(client: string | undefined, holder: CredentialHolder): string {
  if (!client?.trim()) return `MCP client · ${shortName(holder.label)}`;
  return ownName(client, holder) ? `${shortName(client)} · MCP` : `${shortName(client)} · MCP, ${shortName(holder.label)}`;
}

/**
 * A call an MCP client (Cursor, VS Code, another agent) made through Portcullis' `/mcp` endpoint, by its name and
 * key. Its calls of a day share one conversation (the client's sessions too: one launch of Claude Code each),
 * titled by the client, not by the first tool it called.
 */
export function mcpClientCaller(
  toolName: string,
  args: unknown,
  holder: CredentialHolder,
  client: string | undefined,
  session?: { id: string | undefined; clientVersion: string | undefined; method?: 'tools/call' | 'resources/read' },
): DirectCaller {
  // A resource the client read is read by its server's read_resource tool: what the client asked for is said.
  const method = session?.method ?? 'tools/call';
  const asked = method === 'resources/read' && typeof (args as { uri?: unknown } | null)?.uri === 'string' ? `resources/read ${(args as { uri: string }).uri}` : `${method} ${toolName} ${argsText(args)}`;
  const who = holder.label;
  const by = client ? `${client} (MCP client, ${who})` : `an MCP client (${who})`;
  return {
    title: mcpClientName(client, holder),
    callerName: mcpClientName(client, holder),
    author: client?.trim() ? mcpClientAuthor(client, holder) : `MCP client (${shortName(who)})`,
    // Who called is its message's header and its trace's: the request says what was asked, not again by whom.
    request: asked,
    note: `Called by ${by} through Portcullis' MCP endpoint: no model of Portcullis took part; the card above shows the outcome.`,
    // MCP's semantic conventions name the method and the session; the client as it introduced itself.
    attributes: {
      'portcullis.caller': who,
      'portcullis.caller.channel': 'mcp',
      'mcp.method.name': method,
      'mcp.session.id': session?.id,
      'portcullis.mcp_client.name': client,
      'portcullis.mcp_client.version': session?.clientVersion,
    },
  };
}
