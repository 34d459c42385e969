import { describe, expect, it } from 'vitest';
import type { McpServerStatusInfo, ToolInfo } from '../../src/shared/domain/tool-catalog';
import { mcpMemoryNote, mcpMemoryServers } from '../../src/renderer/features/memory/mcp-memory-words';

const server = (name: string, state: McpServerStatusInfo['state'] = 'connected') => ({ name, state, toolPrefix: name }) as McpServerStatusInfo;
const tool = (serverName: string, local: string, callExample = `${serverName}.${local} {}`) =>
  ({ name: `${serverName}.${local}`, server: serverName, turnedOff: false, callExample }) as ToolInfo;

describe('MCP memory servers, beside the Memories tab', () => {
  it("finds a pasted server-memory by its tools, whatever its name, with a call that reads its graph, and not a server that only reads files", () => {
    const catalog = {
      servers: [server('kg'), server('filesystem'), server('mem0', 'failed')],
      tools: [tool('kg', 'create_entities'), tool('kg', 'read_graph'), tool('filesystem', 'read_file'), tool('mem0', 'search_memory')],
    };
    expect(mcpMemoryServers(catalog)).toEqual([{ name: 'kg', readExample: 'kg.read_graph {}' }]);
    expect(mcpMemoryServers({ servers: [server('memory')], tools: [] })).toEqual([{ name: 'memory', readExample: null }]);
  });

  it('says in the empty state that their memories are their own, reached through their tools, naming the connected ones', () => {
    expect(mcpMemoryNote([], false)).toBe(
      'An MCP memory server (such as server-memory from a Claude Desktop config) keeps its own memories, not listed here: they are reached through its tools in a chat.',
    );
    expect(mcpMemoryNote([{ name: 'memory', readExample: 'memory.read_graph {}' }], false)).toBe(
      'The MCP memory server “memory” keeps its own memories, not listed here: they are reached through its tools (such as “memory.read_graph {}” in a chat).',
    );
    expect(mcpMemoryNote([{ name: 'memory', readExample: 'memory.read_graph {}' }, { name: 'mem0', readExample: null }], false)).toBe(
      'The MCP memory servers “memory” and “mem0” keep their own memories, not listed here: they are reached through their tools (such as “memory.read_graph {}” in a chat).',
    );
  });

  it('says it briefly above a list of memories', () => {
    expect(mcpMemoryNote([], true)).toBe('MCP memory servers keep their own memories apart from these, reached through their tools.');
    expect(mcpMemoryNote([{ name: 'memory', readExample: null }], true)).toBe('The MCP memory server “memory” keeps its own memories apart from these, reached through its tools in a chat.');
  });
});
