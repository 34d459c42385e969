import type { PolicyDecision } from '../../shared/domain/tool-call';
import { isReadOnly, type ToolDefinition } from '../tools/tool-definition';
import type { RouteInfo } from '../router/route-info';

export interface PolicyInput {
  tool: ToolDefinition;
  arguments: Record<string, unknown>;
  /** The turn's intent and its confidence, when the orchestrator routed it. */
  route?: RouteInfo;
}

/** Decides allow, ask or deny for one tool call, naming the rule and the reason. */
export interface PolicyEngine {
  evaluate(input: PolicyInput): PolicyDecision;
}

/**
 * The first-cut policy: tools that declare themselves read-only run; everything else (including tools that
 * declare nothing, which MCP counts as mutating) waits for the person.
 */
export class DefaultPolicyEngine implements PolicyEngine {
  evaluate({ tool }: PolicyInput): PolicyDecision {
    if (isReadOnly(tool)) {
      return { effect: 'allow', ruleId: 'default.read-only', reason: `${tool.name} only reads, so it runs without asking.` };
    }
    return {
      effect: 'ask',
      ruleId: 'default.mutating',
      reason: `${tool.name} can change things (it is not marked read-only), so it asks you first.`,
    };
  }
}
