import { distinctToolName, fittedToolName } from '../core/tools/distinct-tool-name';
import { nearestToolName } from '../core/tools/nearest-tool-name';

/** What the model APIs behind most MCP clients take as a tool's name (Anthropic's, OpenAI's). */
const CLIENT_SAFE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export interface McpToolNames {
  /** Portcullis' name (`fs.read`, `everything.echo`) → the name the client is given (`fs_read`, `everything_echo`). */
  toClient: ReadonlyMap<string, string>;
  /** The name a client calls → Portcullis' name. */
  fromClient: ReadonlyMap<string, string>;
}

/**
 * The names `/mcp` gives Portcullis' tools. MCP allows a dot in a tool's name, but Claude Desktop, Claude Code and
 * Codex check every name against `^[a-zA-Z0-9_-]{1,64}$` and refuse the whole server for one that fails, so
 * `server.tool` is offered as `server_tool` (any other character outside that set as `_`, a name too long cut with
 * a hash of the whole). Two that come out the same are told apart by a number, in the order given.
 */
export function mcpToolNames(names: readonly string[]): McpToolNames {
  const toClient = new Map<string, string>();
  const fromClient = new Map<string, string>();
  for (const name of names) {
    const candidate = distinctToolName(clientSafe(name), name, fromClient);
    toClient.set(name, candidate);
    fromClient.set(candidate, name);
  }
  return { toClient, fromClient };
}

function clientSafe(name: string): string {
  if (CLIENT_SAFE_NAME.test(name)) return name;
  return fittedToolName(name.replace(/[^A-Za-z0-9_-]/g, '_') || 'tool', name);
}

/** Portcullis' tool names in a message (a "Did you mean fs.read?", a list of tools) as the client knows them. */
export function inClientNames(text: string, names: McpToolNames): string {
  return text.replace(/[A-Za-z0-9_.-]+/g, (token) => {
    const bare = token.replace(/\.+$/, '');
    const named = names.toClient.get(bare);
    return named === undefined ? token : named + token.slice(bare.length);
  });
}

/**
 * A "no such tool" refusal as the client can act on it: the gateway's nearest name is sought among Portcullis'
 * names (`fs.write`), which a mistyped client name (`fs_wrte`) may be too far from; the client's own are searched
 * first, and the suggestion is always one the client can call.
 */
export function notFoundInClientNames(text: string, asked: string, names: McpToolNames, within: readonly string[] = [...names.toClient.keys()]): string {
  // Only among the tools the session may call (`within`, Portcullis' names): the others are not its to learn.
  const ours = nearestToolName(asked, within);
  const meant = nearestToolName(asked, within.map((name) => names.toClient.get(name) ?? name)) ?? (ours === undefined ? undefined : names.toClient.get(ours));
  const named = inClientNames(text.replace(/ Did you mean [^?]+\?/, ''), names);
  return meant ? named.replace(/^(TOOL_NOT_FOUND: There is no tool named "[^"]*"\.)/, `$1 Did you mean ${meant}?`) : named;
}

/**
 * Portcullis' name for a client name of a tool it does not offer now but can say why of: one held back (a changed
 * or a new definition) or turned off, listed before under that name, or one of a server that offers nothing now
 * (not running, turned off), whose namespace the name starts with. Undefined for any other name: the gateway then
 * answers that there is no such tool. Without it, a client calling `chaos_echo` after a rug pull was told no tool
 * had that name at all, instead of why it is held back and where to review it.
 */
export function absentToolName(asked: string, tools: { offered: readonly string[]; absent: readonly string[]; namespaces: readonly string[] }): string | undefined {
  const absent = mcpToolNames([...tools.offered, ...tools.absent]).fromClient.get(asked);
  if (absent !== undefined && !tools.offered.includes(absent)) return absent;
  // The longest first: a server named "a_b" is not taken for "a".
  for (const namespace of [...tools.namespaces].sort((a, b) => b.length - a.length)) {
    const prefix = `${clientSafe(namespace)}_`;
    if (!asked.startsWith(prefix) || asked.length === prefix.length) continue;
    if (tools.offered.some((name) => name.startsWith(`${namespace}.`))) return undefined;
    return `${namespace}.${asked.slice(prefix.length)}`;
  }
  return undefined;
}
