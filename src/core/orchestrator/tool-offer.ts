import type { ModelToolSpec } from '../model/model-provider';
import type { Route } from '../router/intent-router';
import type { ToolDefinition } from '../tools/tool-definition';

/**
 * Policy-driven routing: a confident route offers the model only the tools its intent allows; a route below
 * its threshold, or out of scope, offers none (the model can still answer or ask). With no router, every tool.
 */
export function offeredTools(tools: readonly ToolDefinition[], route: Route | null): ModelToolSpec[] {
  const allowed = route === null ? null : new Set(route.tools);
  return tools
    .filter((tool) => allowed === null || allowed.has(tool.name))
    .map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
}
