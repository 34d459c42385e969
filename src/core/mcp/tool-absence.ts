import { isStdio, type McpServerConfig } from './mcp-config';
import type { ServerEntry } from './mcp-server-entry';
import type { ToolPinStore } from './tool-pins';
import { namespaceOf } from '../tools/tool-definition';

/**
 * Why a tool is not offered now, and its code: `TOOL_HELD_BACK` for a tool its server changed or added since the
 * person approved its tools (someone has to review it), `TOOL_NOT_FOUND` for one the person turned off,
 * `MCP_SERVER_UNAVAILABLE` for one whose server is down, starting or turned off, as a call cut short by its server's
 * crash is: a script tells "review the change" from "fix the server" from "fix the name".
 */
export interface ToolAbsence {
  code: 'TOOL_HELD_BACK' | 'TOOL_NOT_FOUND' | 'MCP_SERVER_UNAVAILABLE';
  message: string;
}

/**
 * Why a tool by this name is not offered now, in a sentence, when an MCP server explains it: held back for a
 * changed definition, turned off, or its server is not running (or turned off). Undefined for a name no server
 * accounts for.
 */
export function toolAbsence(
  name: string,
  servers: ReadonlyMap<string, ServerEntry>,
  turnedOffServers: ReadonlyMap<string, McpServerConfig>,
  pins: ToolPinStore | undefined,
): ToolAbsence | undefined {
  const page = 'the Tools & servers page';
  const notFound = (message: string): ToolAbsence => ({ code: 'TOOL_NOT_FOUND', message });
  const serverDown = (message: string): ToolAbsence => ({ code: 'MCP_SERVER_UNAVAILABLE', message });
  // Said to a terminal and a script too: the commands that show and decide the change, beside the page.
  const decide = `or with \`portcullis tools list\`; \`portcullis tools approve ${name} --hash …\` (the hash it prints there) or \`reject\` decides it.`;
  for (const [server, entry] of servers) {
    if (entry.heldBack.has(name)) {
      const arrival = pins?.arrival(name);
      return { code: 'TOOL_HELD_BACK', message: arrival?.pinsLost
        ? `${name} is held back: the record of the tools you approved was lost, so it waits for your approval. Review it on ${page} ${decide}`
        : arrival
        ? `${name} is held back: the ${server} server added it after you approved its tools. Review it on ${page} ${decide}`
        : `${name} is held back: the ${server} server changed its definition since you approved it. Review the change on ${page} ${decide}` };
    }
    if (entry.turnedOff.has(name)) return notFound(`${name} is turned off on ${page}.`);
    if (namespaceOf(name) === entry.namespace && entry.connection.state !== 'connected' && !entry.tools.has(name)) {
      const down = isStdio(entry.config) ? 'is not running' : 'is not connected';
      const state = entry.connection.state === 'starting' ? 'is still starting' : `${down}${entry.connection.error ? ` (${entry.connection.error})` : ''}`;
      return serverDown(`The ${server} MCP server ${state}, so ${name} cannot be used now; ${page} shows its state.`);
    }
  }
  for (const server of turnedOffServers.keys()) {
    if (namespaceOf(name) === server) return serverDown(`The ${server} MCP server is turned off, so ${name} cannot be used; turn it on on ${page}.`);
  }
  return undefined;
}
