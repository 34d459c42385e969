import type { PolicyExplainInput, PolicyExplanation } from '../../shared/domain/policy';
import type { ToolAnnotations } from '../../shared/domain/tool-call';
import type { PolicyEngine } from './policy-engine';
import { toolClasses } from '../../shared/domain/tool-class';

export interface KnownTool {
  name: string;
  annotations: ToolAnnotations;
  server?: string;
  /** Whether it runs in a sandbox: a server's tool that does not asks on every call. */
  sandboxed?: boolean;
  /** Whether its sandbox lets it reach nothing outside this computer: then it is not open-world. */
  offline?: boolean;
}

/**
 * Decides a hypothetical call and says why, without running or recording it. A tool nobody registered is
 * judged as MCP would: it declares nothing, so it counts as mutating and open-world.
 */
export function explainDecision(
  engine: PolicyEngine,
  input: PolicyExplainInput,
  lookup: (name: string) => KnownTool | undefined,
  policy: { source: string; error: string | null },
): PolicyExplanation {
  const known = lookup(input.tool);
  const annotations = known?.annotations ?? {};
  const decision = engine.evaluate({
    tool: { name: input.tool, annotations, ...(known?.server ? { server: known.server, sandboxed: known.sandboxed === true } : {}), ...(known?.offline ? { offline: true } : {}) },
    arguments: input.arguments ?? {},
    server: input.server ?? known?.server ?? 'builtin',
    ...(input.intent !== undefined ? { intent: input.intent } : {}),
    ...(input.confidence !== undefined ? { confidence: input.confidence } : {}),
    ...(input.tainted ? { taint: [{ description: 'untrusted content (--tainted)' }] } : {}),
    ...(input.conversationId ? { conversationId: input.conversationId } : {}),
  });
  return { tool: input.tool, known: known !== undefined, classes: [...toolClasses(annotations, known?.offline)], decision, policySource: policy.source, policyError: policy.error };
}
