import type { PolicyDecision } from '../../shared/domain/tool-call';
import { isReadOnly, type ToolDefinition } from '../tools/tool-definition';

export interface PolicyInput {
  tool: ToolDefinition;
  arguments: Record<string, unknown>;
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
    if (tool.server && !tool.sandboxed) {
      return { effect: 'ask', ruleId: 'default.unsandboxed-server', reason: `${tool.name} comes from the ${tool.server} server, which runs without an OS sandbox, so it asks you first.` };
    }
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
