import type { ToolCatalog } from '../../../shared/domain/tool-catalog';

/** A connected MCP server that keeps memories of its own, and a call of it that reads them, as typed in a chat. */
export interface McpMemoryServer {
  name: string;
  /** `memory.read_graph {}`; null when none of its tools reads in a way known here. */
  readExample: string | null;
}

// server-memory's knowledge graph (what Claude Desktop configs paste as "memory"), mem0 / OpenMemory and their kin.
const MEMORY_TOOL = /^(?:read_graph|search_nodes|open_nodes|create_entities|create_relations|add_observations|add_memor(?:y|ies)|save_memory|store_memory|search_memor(?:y|ies)|list_memories|get_memories|retrieve_memor(?:y|ies)|delete_memories)$/;
// Of those, the ones that read: the example to give.
const READ_TOOL = /^(?:read_graph|search_nodes|search_memor(?:y|ies)|list_memories|get_memories|retrieve_memor(?:y|ies))$/;

/**
 * The connected MCP servers that keep memories of their own, apart from Portcullis' (which the Memories tab
 * lists): one offering a memory tool, or named for memories ("memory", "mem0").
 */
export function mcpMemoryServers(catalog: Pick<ToolCatalog, 'servers' | 'tools'>): McpMemoryServer[] {
  return catalog.servers
    .filter((server) => server.state === 'connected')
    .flatMap((server) => {
      const tools = catalog.tools.filter((tool) => tool.server === server.name && !tool.turnedOff);
      const local = (name: string) => name.slice(server.toolPrefix.length + 1);
      const memoryTools = tools.filter((tool) => MEMORY_TOOL.test(local(tool.name)));
      if (memoryTools.length === 0 && !/mem(?:ory|ories|0)/i.test(server.name)) return [];
      const reader = memoryTools.find((tool) => READ_TOOL.test(local(tool.name)));
      return [{ name: server.name, readExample: reader?.callExample ?? null }];
    });
}

function listed(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * What the Memories tab says of MCP memory servers: they keep their own memories, which this list never shows, and
 * their tools reach them. In full under "No memories yet" (a Claude Desktop user's memories are in the pasted
 * server-memory's graph), in brief above a list.
 */
export function mcpMemoryNote(servers: readonly McpMemoryServer[], hasMemories: boolean): string {
  const examples = servers.flatMap((server) => (server.readExample ? [server.readExample] : []));
  const example = examples.length > 0 ? ` (such as ${listed(examples.map((e) => `“${e}”`))} in a chat)` : ' in a chat';
  if (servers.length === 0) {
    return hasMemories
      ? 'MCP memory servers keep their own memories apart from these, reached through their tools.'
      : 'An MCP memory server (such as server-memory from a Claude Desktop config) keeps its own memories, not listed here: they are reached through its tools in a chat.';
  }
  // Quoted: a server's name is often a plain word ("memory") that would read as part of the sentence.
  const names = listed(servers.map((server) => `“${server.name}”`));
  const subject = servers.length === 1 ? `The MCP memory server ${names} keeps its` : `The MCP memory servers ${names} keep their`;
  const their = servers.length === 1 ? 'its' : 'their';
  return hasMemories
    ? `${subject} own memories apart from these, reached through ${their} tools${example}.`
    : `${subject} own memories, not listed here: they are reached through ${their} tools${example}.`;
}
