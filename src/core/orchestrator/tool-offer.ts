import type { ModelToolSpec } from '../model/model-provider';
import type { Route } from '../router/intent-router';
import type { ToolDefinition } from '../tools/tool-definition';

/**
 * Policy-driven routing: for the tools the intent catalogue knows, a confident route offers only its intent's
 * tools, and a route below its threshold (or out of scope) offers none of them. Tools no intent mentions (a
 * newly connected MCP server's, say) are offered as before until the person adds them to an intent; the
 * policy still governs every call. With no router, every tool is offered.
 */
export function offeredTools(tools: readonly ToolDefinition[], route: Route | null, routedTools: ReadonlySet<string> = new Set()): ModelToolSpec[] {
  const allowed = route === null ? null : new Set(route.tools);
  return tools
    .filter((tool) => allowed === null || allowed.has(tool.name) || !routedTools.has(tool.name))
    .map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
}
