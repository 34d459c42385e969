import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { messageOf } from '../../shared/errors';

/** The SDK's prefix of a JSON-RPC error's message, "MCP error -32602: ". */
const PREFIX = /^(MCP error -?\d+: )(?:MCP error -?\d+: )+/;

/**
 * A server's error as it reads: an SDK server sends its McpError's message with the prefix already in it, and the
 * client's McpError puts it there again ("MCP error -32602: MCP error -32602: Resource … not found"); said once.
 */
export function mcpErrorWords(error: unknown): string {
  const message = error instanceof McpError ? error.message : messageOf(error);
  return message.replace(PREFIX, '$1');
}
