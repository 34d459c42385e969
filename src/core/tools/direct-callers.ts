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
    request: `tools.call ${toolName} ${argsText(args)} (local API, ${who})`,
    note: `Called through the local API (tools.call) by ${who}: no model took part; the card above shows the outcome.`,
    attributes: { 'portcullis.caller': who, 'portcullis.caller.channel': 'tools.call' },
  };
}

/** Two names are one when they differ only in case and spacing: key "Claude Code" for a client that says "claude-code". */
const plainName = (name: string): string => name.replace(/[\s_-]+/g, ' ').trim().toLowerCase();
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
 * A call an MCP client (Cursor, VS Code, another agent) made through Portcullis' `/mcp` endpoint, by its name and
 * key. Its session's calls share one conversation, titled by the client, not by the first tool it called.
 */
export function mcpClientCaller(
  toolName: string,
  args: unknown,
  holder: CredentialHolder,
  client: string | undefined,
  session?: { id: string | undefined; clientVersion: string | undefined; method?: 'tools/call' | 'resources/read'; openedAt?: number },
): DirectCaller {
  // A resource the client read is read by its server's read_resource tool: what the client asked for is said.
  const method = session?.method ?? 'tools/call';
  const asked = method === 'resources/read' && typeof (args as { uri?: unknown } | null)?.uri === 'string' ? `resources/read ${(args as { uri: string }).uri}` : `${method} ${toolName} ${argsText(args)}`;
  const who = holder.label;
  const opened = session?.openedAt === undefined ? '' : ` · ${clockTime(session.openedAt)}`;
  const by = client ? `${client} (MCP client, ${who})` : `an MCP client (${who})`;
  return {
    // When the session opened (local time): a client that reconnects makes a conversation a session, all else alike.
    // A client not named as its key has the key right after its name, where the sidebar's cut does not hide it.
    title: client?.trim() && !ownName(client, holder) ? `${shortName(client)} (MCP, ${who})${opened}` : `${client ?? 'An MCP client'}${opened} (MCP, ${who})`,
    author: client?.trim() ? mcpClientAuthor(client, holder) : `MCP client (${shortName(who)})`,
    request: `${asked} from ${by}`,
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

/** "09:04": the hour and minute, in this computer's time zone. */
function clockTime(at: number): string {
  const time = new Date(at);
  return `${String(time.getHours()).padStart(2, '0')}:${String(time.getMinutes()).padStart(2, '0')}`;
}
