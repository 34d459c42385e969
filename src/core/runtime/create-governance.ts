import type { Database } from 'better-sqlite3';
import { ApprovalGovernance } from '../approvals/approval-governance';
import { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import { GovernedPolicy } from '../policy/governed-policy';
import { PolicySource } from '../policy/policy-source';
import { ConversationGrantStore } from '../storage/stores/conversation-grant-store';
import { UserRuleStore } from '../storage/stores/user-rule-store';
import { TaintTracker } from '../taint/taint-tracker';
import type { ArgumentValidator } from '../tools/argument-validator';
import type { ToolDefinition } from '../tools/tool-definition';
import type { Redactor } from '../redaction/redactor';

export interface Governance {
  source: PolicySource;
  policy: GovernedPolicy;
  audit: AuditLog;
  taint: TaintTracker;
  approvals: ApprovalGovernance;
}

/** Wires the policy, the person's rules, taint tracking, approvals' follow-up and the audit log on one database. */
export function createGovernance(options: {
  db: Database;
  clock: Clock;
  validator: ArgumentValidator;
  workspace: string;
  policyFile: string;
  /** Per-conversation grants; the runtime routes private conversations' grants to memory. */
  grants?: ConversationGrantStore;
  /** Private conversations leave only a content-free mark in the audit chain. */
  isPrivate?: (conversationId: string) => boolean;
  /** Masks secrets in audit entries before they are hashed, and in the policy's words that leave it (`GovernedPolicy`). */
  redactor?: Redactor;
  /**
   * Settles once the keychain's values are known to the redactor: the policy file's error at start (on the terminal,
   * in the audit chain) waits for it, since a broken line may hold one.
   */
  secretsKnown?: Promise<unknown>;
  /** What a server's sandbox will refuse of a call's writes, for its approval (`ApprovalGovernanceDeps.sandboxWarning`). */
  sandboxWarning?: (tool: ToolDefinition, args: Record<string, unknown>) => string | null;
}): Governance {
  const { db, clock, validator, workspace, policyFile } = options;
  const audit = new AuditLog(db, options.isPrivate, options.redactor);
  const grants = options.grants ?? new ConversationGrantStore(db);
  const source = new PolicySource({ file: policyFile, workspace });
  const redactor = options.redactor;
  const mask = <T>(value: T): T => (redactor ? redactor.maskKnownSecrets(value) : value);
  const loaded = { source: source.source, error: source.error, rules: source.rules().length, at: clock.now() };
  const sayLoaded = (): void => {
    if (loaded.error) console.error(mask(loaded.error));
    audit.record({ kind: 'policy.loaded', data: { source: loaded.source, error: loaded.error, rules: loaded.rules } }, loaded.at);
  };
  if (options.secretsKnown) {
    // A database closed meanwhile (Portcullis closing at once) leaves nothing to record.
    void options.secretsKnown.then(sayLoaded).catch(() => {});
  } else {
    sayLoaded();
  }
  source.onDidLoad = (event) => audit.record({ kind: 'policy.loaded', data: { ...event, rules: source.rules().length } }, clock.now());
  const policy = new GovernedPolicy({ source, grants, userRules: new UserRuleStore(db), audit, clock, mask });
  const taint = new TaintTracker({ grants, audit, clock, workspace, trustedRoots: () => source.trustedRoots() });
  const approvals = new ApprovalGovernance({
    policy, grants, taint, validator, audit, clock, workspace,
    ...(redactor ? { holdsSecret: (value: unknown) => redactor.holdsKnownSecret(value) } : {}),
    ...(options.sandboxWarning ? { sandboxWarning: options.sandboxWarning } : {}),
  });
  return { source, policy, audit, taint, approvals };
}
