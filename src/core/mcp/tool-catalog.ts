import type { ToolCatalog, ToolInfo } from '../../shared/domain/tool-catalog';
import { directCallExample } from '../router/direct-call';
import type { ToolDefinition } from '../tools/tool-definition';
import type { ToolRegistry } from '../tools/tool-registry';
import type { McpManager } from './mcp-manager';

function info(tool: ToolDefinition, pinState: ToolInfo['pinState']): ToolInfo {
  return {
    name: tool.name,
    server: tool.server ?? null,
    description: tool.description,
    annotations: tool.annotations,
    sandboxed: tool.sandboxed,
    callExample: directCallExample(tool.name, tool.inputSchema),
    pinState,
  };
}

/** Every tool (offered and held back) and every MCP server's state: for `tools list` and the Tools & servers page. */
export function toolCatalog(registry: ToolRegistry, mcp: McpManager): ToolCatalog {
  return {
    tools: [
      ...registry.list().map((t) => info(t, t.server ? 'pinned' : null)),
      ...mcp.heldBack().map((t) => {
        const pin = mcp.approvedDefinition(t.name);
        if (!pin) return info(t, 'changed');
        const { rejected, ...approved } = pin;
        return { ...info(t, 'changed'), change: { approved, offered: { description: t.description, inputSchema: t.inputSchema }, rejected } };
      }),
    ],
    servers: mcp.status(),
    problems: [...mcp.problems],
  };
}
