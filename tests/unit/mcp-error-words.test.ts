import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { mcpErrorWords } from '../../src/core/mcp/mcp-error-words';

describe("an MCP server's error, as Portcullis says it", () => {
  it("says the SDK's prefix once, where the server's message already carried it (server-memory's unknown resource)", () => {
    // What the client's McpError holds when an SDK server threw McpError(-32602, 'Resource … not found').
    const twice = new McpError(-32602, 'MCP error -32602: Resource memory://graph not found');
    expect(mcpErrorWords(twice)).toBe('MCP error -32602: Resource memory://graph not found');
    expect(mcpErrorWords(new McpError(-32603, 'disk full'))).toBe('MCP error -32603: disk full');
    expect(mcpErrorWords(new Error('socket hang up'))).toBe('socket hang up');
  });
});
