import type { ModelToolSpec } from '../model/model-provider';
import type { Route } from '../router/intent-router';
import type { ToolDefinition } from '../tools/tool-definition';

/**
 * Every tool, as the model is offered them. The route does not narrow the offer: a keyword router's guess at one
 * intent would leave a capable model without the second tool of a two-step task ("read the notes and write a
 * summary"), or without any for a request it is unsure of. It is enforced where it cannot be bypassed instead:
 * at the gateway, per call (`outsideRoute`).
 */
export function offeredTools(tools: readonly ToolDefinition[], mask: <T>(words: T) => T = (words) => words): ModelToolSpec[] {
  // A server's words are masked of every keychain secret (`mask`): its connection masks only the secrets it was given.
  return tools.map(({ name, description, inputSchema }) => ({ name, description: mask(description), inputSchema: mask(inputSchema) }));
}

/**
 * Policy-driven routing, per call: a tool the intent catalogue knows (`routedTools`) that the turn's route does not
 * allow — another intent's, or any of them when the router was unsure or found the request out of scope — is
 * outside it; the policy then makes such a call ask if it can change things or send data out, even where a rule
 * would let it run. Returns why, or undefined for a call within the route. Tools no intent mentions (an MCP
 * server's) are left to the policy alone. With no router, nothing is outside.
 */
export function outsideRoute(route: Route | null, routedTools: ReadonlySet<string>): (toolName: string) => string | undefined {
  if (route === null) return () => undefined;
  const allowed = new Set(route.tools);
  const sure = `${Math.round(route.confidence * 100)}% sure`;
  const understood = route.outOfScope
    ? `taken for one that needs none of these tools (the router is ${sure})`
    : route.confident
      ? `understood as "${route.intent}" (${sure}), which uses ${route.tools.length > 0 ? route.tools.join(', ') : 'no tools'}`
      : `not understood well enough to pick its tools (the router is ${sure} of "${route.intent}")`;
  return (toolName) => (routedTools.has(toolName) && !allowed.has(toolName) ? `This request was ${understood}; ${toolName} is outside that, so it asks you first.` : undefined);
}
