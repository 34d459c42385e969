import { isStdio, type McpServerConfig } from './mcp-config';
import type { ServerEntry } from './mcp-server-entry';
import type { ToolPinStore } from './tool-pins';
import { namespaceOf } from '../tools/tool-definition';

/**
 * Why a tool by this name is not offered now, in a sentence, when an MCP server explains it: held back for a
 * changed definition, turned off, or its server is not running (or turned off). Undefined for a name no server
 * accounts for.
 */
export function whyToolAbsent(
  name: string,
  servers: ReadonlyMap<string, ServerEntry>,
  turnedOffServers: ReadonlyMap<string, McpServerConfig>,
  pins: ToolPinStore | undefined,
): string | undefined {
  const page = 'the Tools & servers page';
  for (const [server, entry] of servers) {
    if (entry.heldBack.has(name)) {
      return pins?.arrival(name)
        ? `${name} is held back: the ${server} server added it after you approved its tools. Review it on ${page}.`
        : `${name} is held back: the ${server} server changed its definition since you approved it. Review the change on ${page}.`;
    }
    if (entry.turnedOff.has(name)) return `${name} is turned off on ${page}.`;
    if (namespaceOf(name) === entry.namespace && entry.connection.state !== 'connected' && !entry.tools.has(name)) {
      const down = isStdio(entry.config) ? 'is not running' : 'is not connected';
      const state = entry.connection.state === 'starting' ? 'is still starting' : `${down}${entry.connection.error ? ` (${entry.connection.error})` : ''}`;
      return `The ${server} MCP server ${state}, so ${name} cannot be used now; ${page} shows its state.`;
    }
  }
  for (const server of turnedOffServers.keys()) {
    if (namespaceOf(name) === server) return `The ${server} MCP server is turned off, so ${name} cannot be used; turn it on on ${page}.`;
  }
  return undefined;
}
