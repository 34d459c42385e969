import { asksEveryCall, type ApprovalRequest } from '../../shared/domain/approval';
import { ArgMatcherSchema, type UserRule } from '../../shared/domain/policy';
import type { ErrorCode } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { keyArguments } from '../../shared/key-arguments';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { GovernedPolicy } from '../policy/governed-policy';
import type { ConversationGrantStore } from '../storage/stores/conversation-grant-store';
import type { TaintTracker } from '../taint/taint-tracker';
import type { ArgumentValidator } from '../tools/argument-validator';
import type { ToolDefinition } from '../tools/tool-definition';
import type { ApprovalAnswer } from './approval-gate';
import { hashArguments } from './argument-hash';
import { proposeRuleArgs, schemaProperties } from './rule-proposal';
import { fileBeforeOf } from './file-preview';
import { z } from 'zod';
import { decidedByPerson, deciderWords } from '../../shared/approval-decider';

export type SettledApproval =
  /** `ruleId`: the "Always allow" rule the answer made, which its call's card then names. */
  | { ok: true; arguments: Record<string, unknown>; ruleId?: string }
  | { ok: false; code: ErrorCode; message: string };

export interface ApprovalGovernanceDeps {
  policy: GovernedPolicy;
  grants: ConversationGrantStore;
  taint: TaintTracker;
  validator: ArgumentValidator;
  audit: AuditLog;
  clock: Clock;
  workspace: string;
  /** Whether a value holds the value of a secret the keychain holds: no "Always allow" rule keeps one. */
  holdsSecret?: (value: unknown) => boolean;
  /** What a server's sandbox will refuse of this call's writes, in a sentence (`sandboxWriteWarning`), or null. */
  sandboxWarning?: (tool: ToolDefinition, args: Record<string, unknown>) => string | null;
}

const RuleArgsSchema = z.record(z.string(), ArgMatcherSchema);

/** Who chose an "Always allow", as its rule's reason opens: "You chose", or "key "nightly" chose". */
function chooser(decidedBy: string | undefined): string {
  const other = decidedByPerson(decidedBy) ? null : deciderWords(decidedBy);
  return other === null ? 'You chose' : `${other} chose`;
}

/**
 * What happens around a person's answer: the request carries the argument hash, the taint sources and the
 * rule "Always allow…" would create; the answer's edits are validated and re-checked against the policy, and
 * the conversation allowance or the persisted rule is recorded. Each step goes to the audit log.
 */
export class ApprovalGovernance {
  constructor(private readonly deps: ApprovalGovernanceDeps) {}

  prepare(request: ApprovalRequest, tool: ToolDefinition, args: Record<string, unknown>): ApprovalRequest {
    const taint = this.deps.taint.sources(request.conversationId);
    const sandboxWarning = this.deps.sandboxWarning?.(tool, args) ?? null;
    const prepared: ApprovalRequest = {
      ...request,
      server: toolServer(tool),
      argumentsHash: hashArguments(args),
      ...(taint.length > 0 ? { taint } : {}),
      ...fileBeforeOf(args, this.deps.workspace),
      ...(sandboxWarning ? { sandboxWarning } : {}),
      ...(asksEveryCall(tool) ? {} : { proposedRule: { tool: tool.name, args: proposeRuleArgs(args, schemaProperties(tool.inputSchema)) } }),
    };
    this.deps.audit.record(
      { kind: 'approval.requested', conversationId: request.conversationId, toolCallId: request.toolCallId, data: { approvalId: request.id, tool: tool.name, argumentsHash: prepared.argumentsHash, decision: request.decision } },
      this.deps.clock.now(),
    );
    return prepared;
  }

  /** Applies an answer. An approved call runs with the returned arguments, exactly those the person approved. */
  settle(request: ApprovalRequest, answer: ApprovalAnswer, tool: ToolDefinition, args: Record<string, unknown>): SettledApproval {
    const { audit, clock, validator, policy, grants } = this.deps;
    const at = clock.now();
    const base = { conversationId: request.conversationId, toolCallId: request.toolCallId };
    audit.record({ ...base, kind: 'approval.decided', data: { approvalId: request.id, outcome: answer.outcome, choice: answer.choice ?? null, note: answer.note ?? null, decidedBy: answer.decidedBy ?? null } }, at);
    if (answer.outcome !== 'approved') return { ok: true, arguments: args };

    let approved = args;
    if (answer.arguments && hashArguments(answer.arguments) !== request.argumentsHash) {
      const validation = validator.validate(tool, answer.arguments);
      if (!validation.ok) return { ok: false, code: 'TOOL_ARGUMENTS_INVALID', message: `The edited arguments are not valid, so nothing ran. ${validation.message}` };
      const recheck = policy.evaluate({ tool, arguments: validation.value, server: toolServer(tool), conversationId: request.conversationId });
      audit.record({ ...base, kind: 'approval.edited', data: { approvalId: request.id, before: request.argumentsHash, after: hashArguments(validation.value), recheck } }, at);
      // Named as the card names a call (path: .env): the call's record keeps the model's arguments, so "the edited
      // arguments" alone left the card showing the path the person had replaced, not the one refused.
      if (recheck.effect === 'deny') {
        return { ok: false, code: 'POLICY_DENIED', message: `The edited arguments (${keyArguments(validation.value)}) are denied by policy rule ${recheck.ruleId}: ${recheck.reason}` };
      }
      approved = validation.value;
    }

    // Allowed once, whatever was chosen: a longer allowance would not hold for it (asksEveryCall).
    if (asksEveryCall(tool)) return { ok: true, arguments: approved };
    if (answer.choice === 'allow_conversation') {
      grants.allowForConversation(request.conversationId, tool.name, at, decidedByPerson(answer.decidedBy) ? null : (answer.decidedBy ?? null));
      audit.record({ ...base, kind: 'rule.created', data: { scope: 'conversation', tool: tool.name, approvalId: request.id } }, at);
    } else if (answer.choice === 'always_allow') {
      const parsed = RuleArgsSchema.safeParse(answer.ruleArgs ?? request.proposedRule?.args ?? proposeRuleArgs(approved, schemaProperties(tool.inputSchema)));
      // A pattern holding a secret's value is not kept (the interactive dialog refuses it first): the call runs once.
      if (parsed.success && !this.deps.holdsSecret?.(parsed.data)) {
        const rule: UserRule = {
          id: `user.${tool.name}.${newId().slice(0, 8)}`,
          tool: tool.name,
          server: toolServer(tool) === 'builtin' ? null : toolServer(tool),
          args: parsed.data,
          // Said as who chose it: a key allowed to approve is not the person.
          reason: `${chooser(answer.decidedBy)} "Always allow" for ${tool.name} with these arguments.`,
          createdAt: at,
        };
        policy.addRule(rule, request.id, request.conversationId);
        return { ok: true, arguments: approved, ruleId: rule.id };
      }
    }
    return { ok: true, arguments: approved };
  }

  /**
   * After a call succeeded: does its output taint the conversation? `untrusted` is what the tool's runner said of
   * it: true, or its words for why. A server whose output the person trusts (`outputTrusted`) is not untrusted for
   * being a server; what the call reached (a web address, an open-world reach, a file outside) still taints.
   * True when it tainted.
   */
  observe(conversationId: string, toolCallId: string, tool: ToolDefinition, args: Record<string, unknown>, untrusted: boolean | string): boolean {
    const serverWords = untrusted === true && tool.outputTrusted !== true;
    const source = this.deps.taint.observe(conversationId, toolCallId, {
      toolName: tool.name,
      annotations: tool.annotations,
      ...(tool.offline ? { offline: true } : {}),
      server: toolServer(tool),
      arguments: args,
      ...(serverWords || typeof untrusted === 'string' ? { untrusted: true } : {}),
      ...(typeof untrusted === 'string' ? { untrustedSource: untrusted } : {}),
    });
    return source !== null;
  }

  /** Whether the arguments about to run are exactly the approved ones. */
  static matches(approved: Record<string, unknown>, running: Record<string, unknown>): boolean {
    return hashArguments(approved) === hashArguments(running);
  }
}

export function toolServer(tool: Pick<ToolDefinition, 'server'>): string {
  return tool.server ?? 'builtin';
}
