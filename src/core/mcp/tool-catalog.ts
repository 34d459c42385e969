import type { ToolCatalog, ToolInfo } from '../../shared/domain/tool-catalog';
import { directCallExample } from '../router/direct-call';
import type { ToolDefinition } from '../tools/tool-definition';
import type { ToolRegistry } from '../tools/tool-registry';
import { toolParameters } from '../tools/tool-parameters';
import type { McpManager } from './mcp-manager';

export function toolInfo(tool: ToolDefinition, pinState: ToolInfo['pinState'], turnedOff = false): ToolInfo {
  return {
    name: tool.name,
    server: tool.server ?? null,
    description: tool.description,
    parameters: toolParameters(tool.inputSchema),
    annotations: tool.annotations,
    sandboxed: tool.sandboxed,
    offline: tool.offline === true,
    callExample: directCallExample(tool.name, tool.inputSchema),
    pinState,
    turnedOff,
  };
}

/**
 * Every tool (offered and held back) and every MCP server's state: for `tools list` and the Tools & servers page.
 * `configVersion` tells the page when mcp.json changed under its editor.
 */
export function toolCatalog(registry: ToolRegistry, mcp: McpManager, configVersion = ''): ToolCatalog {
  return {
    configVersion,
    tools: [
      ...registry.list().map((t) => toolInfo(t, t.server ? 'pinned' : null)),
      ...mcp.heldBack().map((t) => {
        const pin = mcp.approvedDefinition(t.name);
        if (!pin) return toolInfo(t, 'changed');
        const { approved, rejected, waitingHash, pinsLost } = pin;
        const offered = { description: t.description, inputSchema: t.inputSchema, annotations: t.annotations };
        return { ...toolInfo(t, approved ? 'changed' : 'new'), change: { approved, offered, rejected, hash: waitingHash, ...(pinsLost ? { pinsLost } : {}) } };
      }),
      ...mcp.turnedOff().map((t) => toolInfo(t, 'pinned', true)),
    ],
    servers: mcp.status(),
    problems: [...mcp.problems],
  };
}
