import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** The text of a tool's result (an MCP server's content), its text parts one to a line; none for a call without one. */
export const resultText = (result: unknown): string => ((result as CallToolResult | null | undefined)?.content ?? []).map((c) => (c.type === 'text' ? c.text : '')).join('\n');
