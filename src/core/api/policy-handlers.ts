import type { RequestHandlers } from '../../shared/api/contract';
import type { InteractiveApprovalGate } from '../approvals/interactive-approval-gate';
import type { AuditLog } from '../audit/audit-log';
import { grantHistory } from '../audit/grant-history';
import type { GovernedPolicy } from '../policy/governed-policy';
import { explainDecision } from '../policy/policy-explainer';
import type { PolicySource } from '../policy/policy-source';
import type { ToolRegistry } from '../tools/tool-registry';
import type { ToolDefinition } from '../tools/tool-definition';
import { AppError } from '../../shared/errors';
import { currentPrincipal } from '../auth/request-principal';
import { approvalAnswerer } from './approval-answerer';

export interface PolicyHandlerDeps {
  policy: GovernedPolicy;
  source: PolicySource;
  audit: AuditLog;
  registry: ToolRegistry;
  approvals: InteractiveApprovalGate;
  /** What a server's sandbox will refuse of a call's writes (`McpManager.sandboxWarning`); absent: nothing is said. */
  sandboxWarning?: (tool: ToolDefinition, args: Record<string, unknown>) => string | null;
}

type PolicyChannels = 'approvals.decideMany' | 'approvals.sandboxWarning' | 'policy.status' | 'policy.explain' | 'policy.rules.revoke' | 'audit.verify' | 'audit.grants';

/** The handlers of issue 4's channels: the policy, its rules, batch approvals and the audit log. */
/** `keyName`: an API key's name by id, to say which key answered approvals. */
export function createPolicyHandlers(deps: PolicyHandlerDeps, keyName: (id: string) => string | undefined = () => undefined): Pick<RequestHandlers, PolicyChannels> {
  const { policy, audit, registry, approvals } = deps;
  return {
    'approvals.decideMany': async ({ approvalIds, choice, note }) => approvals.decideMany(approvalIds, choice, note, approvalAnswerer(currentPrincipal(), keyName)),
    'approvals.sandboxWarning': async ({ approvalId, arguments: args }) => {
      const request = approvals.pending().find((waiting) => waiting.id === approvalId);
      if (!request) throw new AppError('NOT_FOUND', 'This approval is no longer waiting: it was already answered, timed out or its turn ended.');
      const tool = registry.get(request.toolName)?.definition;
      return { sandboxWarning: tool ? (deps.sandboxWarning?.(tool, args) ?? null) : null };
    },
    'policy.status': async () => policy.status(),
    'policy.explain': async (input) =>
      explainDecision(policy, input, (name) => {
        const tool = registry.get(name)?.definition;
        return tool ? { name: tool.name, annotations: tool.annotations, sandboxed: tool.sandboxed, offline: tool.offline === true, ...(tool.server ? { server: tool.server } : {}) } : undefined;
      }, policy.loaded()),
    'policy.rules.revoke': async ({ ruleId }) => ({ revoked: policy.revokeRule(ruleId) }),
    'audit.verify': async () => audit.verify(),
    'audit.grants': async () => grantHistory(audit),
  };
}
