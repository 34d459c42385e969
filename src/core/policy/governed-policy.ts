import type { PolicyStatus, UserRule } from '../../shared/domain/policy';
import type { PolicyDecision } from '../../shared/domain/tool-call';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import type { ConversationGrantStore } from '../storage/stores/conversation-grant-store';
import type { UserRuleStore } from '../storage/stores/user-rule-store';
import type { PolicyEngine, PolicyInput } from './policy-engine';
import type { PolicySource } from './policy-source';
import { RateCounter } from './rate-counter';
import { deciderWords } from '../../shared/approval-decider';

export type GovernedPolicyInput = PolicyInput;

/** How often a decision looks for rules another process changed, as the policy file is looked at once a second. */
const RULES_CHECK_MS = 1_000;

export interface GovernedPolicyDeps {
  source: PolicySource;
  grants: ConversationGrantStore;
  userRules: UserRuleStore;
  audit: AuditLog;
  clock: Clock;
  /**
   * Masks the values of keychain secrets in what leaves the policy (`Redactor.maskKnownSecrets`): a policy.yaml the
   * person wrote by hand may hold one, in a rule's reason or pattern, or in the error a broken line gives. The rules
   * keep matching as written; their words reach the Policies page, a decision's reason (the call's record, the model,
   * the audit log) and explanations masked. Absent: as written.
   */
  mask?: <T>(value: T) => T;
}

/**
 * The policy as the runtime uses it: the file's rules and the person's, plus the conversation's taint and
 * allowances and the per-tool call rate. Every decision about a real call is appended to the audit log.
 */
export class GovernedPolicy implements PolicyEngine {
  private readonly rate = new RateCounter();
  /** The person's rules as last compiled, and when the database was last looked at for changes. */
  private rulesInForce = '';
  private rulesCheckedAt = 0;

  constructor(private readonly deps: GovernedPolicyDeps) {
    this.refreshUserRules();
  }

  evaluate(input: GovernedPolicyInput): PolicyDecision {
    const { grants, clock, audit, source } = this.deps;
    const now = clock.now();
    const name = input.tool.name;
    const conversationId = input.conversationId;
    // Another process on the folder may have changed them (`portcullis policy revoke`, a secrets scrub turning one off).
    if (now - this.rulesCheckedAt > RULES_CHECK_MS) this.refreshUserRules();
    // The few most recent sources: the decision (and its audit entry) names them without growing with the conversation.
    const taint = input.taint ?? (conversationId ? grants.recentTaint(conversationId) : []);
    // Who chose "Allow for this conversation", when not the person: its reason and the call's card name them.
    const allowance = input.conversationAllowed === undefined && conversationId ? grants.allowance(conversationId, name) : undefined;
    const allowedBy = allowance?.by ? deciderWords(allowance.by) : null;
    const decision = this.mask(source.evaluate({
      ...input,
      taint,
      conversationAllowed: input.conversationAllowed ?? allowance !== undefined,
      ...(allowedBy ? { conversationAllowedBy: allowedBy } : {}),
      recentCalls: input.recentCalls ?? ((windowMs) => this.rate.count(name, windowMs, now)),
    }));
    if (input.toolCallId) {
      this.rate.record(name, now);
      audit.record(
        { kind: 'policy.decision', conversationId: conversationId ?? null, toolCallId: input.toolCallId, data: { tool: name, ...decision, tainted: taint.length > 0 } },
        now,
      );
    }
    return decision;
  }

  /** The person's "always allow" rules changed: the next decision sees them. */
  refreshUserRules(): void {
    this.rulesCheckedAt = this.deps.clock.now();
    const rules = this.deps.userRules.list();
    const inForce = JSON.stringify(rules);
    if (inForce === this.rulesInForce) return;
    this.rulesInForce = inForce;
    this.deps.source.setUserRules(rules);
  }

  revokeRule(id: string): boolean {
    const { userRules, audit, clock } = this.deps;
    const revoked = userRules.revoke(id, clock.now());
    if (revoked) {
      audit.record({ kind: 'rule.revoked', data: { ruleId: id } }, clock.now());
      this.refreshUserRules();
    }
    return revoked;
  }

  addRule(rule: UserRule, approvalId: string | null, conversationId: string | null): void {
    const { userRules, audit, clock } = this.deps;
    userRules.insert(rule, approvalId);
    audit.record({ kind: 'rule.created', conversationId, data: { rule, approvalId } }, clock.now());
    this.refreshUserRules();
  }

  status(): PolicyStatus {
    const { source, userRules } = this.deps;
    source.reload();
    return { source: source.source, file: source.file, loadedAt: source.loadedAt, error: this.mask(source.error), rules: this.mask([...source.rules()]), userRules: this.mask(userRules.list()) };
  }

  /** Where the rules in force come from, and the policy file's error (masked as `status` is). */
  loaded(): { source: string; error: string | null } {
    return { source: this.deps.source.source, error: this.mask(this.deps.source.error) };
  }

  private mask<T>(value: T): T {
    return this.deps.mask ? this.deps.mask(value) : value;
  }
}
