import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolDefinition } from '../tools/tool-definition';
import type { McpServerConfig } from './mcp-config';
import type { McpConnection } from './mcp-connection';
import type { McpToolRunner } from './mcp-tool-runner';

/** One running server of `McpManager`: its connection, its runner, and its tools as they are sorted now. */
export interface ServerEntry {
  connection: McpConnection;
  /** What its tools' names start with (`namespace.tool`). */
  namespace: string;
  runner: McpToolRunner;
  tools: Map<string, ToolDefinition>;
  /** Tools whose definition changed since it was pinned: listed, never offered to the model or run. */
  heldBack: Map<string, ToolDefinition>;
  /** Tools the person turned off (`disabledTools`): listed, never offered or run. */
  turnedOff: Map<string, ToolDefinition>;
  /** Its tools as the server last listed them, to apply a change of `disabledTools` without a restart. */
  listed: Tool[];
  /** Its config as last loaded; `disabledTools` may change while it runs. */
  config: McpServerConfig;
}
