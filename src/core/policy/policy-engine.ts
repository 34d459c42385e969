import { CONVERSATION_ALLOWED_RULE, conversationAllowedReason, type PolicyRule, type TaintSource, type ToolClass } from '../../shared/domain/policy';
import type { PolicyDecision } from '../../shared/domain/tool-call';
import { asksEveryCall } from '../../shared/domain/approval';
import { namespaceOf, type ToolDefinition } from '../tools/tool-definition';
import { compileRule, type CompiledRule, type MatchContext } from './compiled-rule';
import type { PathContext } from './matchers/arg-matcher';
import { resolvePathArgument, type ResolvedPath } from './matchers/resolve-path';
import { isSensitive, toolClasses } from '../../shared/domain/tool-class';

export interface PolicyInput {
  tool: Pick<ToolDefinition, 'name' | 'annotations'> & Partial<Pick<ToolDefinition, 'server' | 'sandboxed' | 'offline'>>;
  arguments: Record<string, unknown>;
  /** The MCP server the tool comes from; built-in tools are `builtin`. */
  server?: string;
  /** The router's intent and confidence (0..1), when a router ran. */
  intent?: string;
  confidence?: number;
  /** Why the tool is outside what the turn's route allows: a call a rule allows asks instead. */
  outsideRoute?: string;
  /** Where this conversation read untrusted content; any entry makes it tainted. */
  taint?: readonly Pick<TaintSource, 'description'>[];
  /** The person chose "Allow for this conversation" for this tool. */
  conversationAllowed?: boolean;
  /** Who chose it when not the person (an API key allowed to approve: `key "nightly"`), as its reason names them. */
  conversationAllowedBy?: string;
  /** The conversation is this caller's of the day (its own name): the allowance's reason says it holds for the caller today. */
  callerOfTheDay?: string;
  /** Whose call this is: the runtime's policy looks up the conversation's taint and allowances and audits it. */
  conversationId?: string;
  toolCallId?: string;
  /** How many times this tool ran in the last `windowMs` (for rate rules). */
  recentCalls?: (windowMs: number) => number;
}

/** Decides allow, ask or deny for one tool call, naming the rule and the reason. */
export interface PolicyEngine {
  evaluate(input: PolicyInput): PolicyDecision;
}

const RANK = { deny: 3, ask: 2, allow: 1 } as const;
const noCalls = (): number => 0;

/**
 * Rules from the policy file and the person's "always allow" rules, indexed by tool name so a decision costs
 * about the same with 10 or 1,000 rules. Precedence: deny beats ask beats allow; among equals the first rule
 * wins. No rule: read-only tools run, everything else asks. While the conversation is tainted, a call that
 * mutates or reaches the outside asks even when a rule allowed it; so does one outside the turn's route.
 */
export class RulesPolicyEngine implements PolicyEngine {
  private readonly exact = new Map<string, CompiledRule[]>();
  private readonly byNamespace = new Map<string, CompiledRule[]>();
  private readonly unindexed: CompiledRule[] = [];

  private readonly workspace: string;

  constructor(rules: readonly PolicyRule[], context: PathContext) {
    this.workspace = context.workspace;
    rules.forEach((rule, order) => {
      const compiled = compileRule(rule, order, context);
      const key = compiled.indexKey;
      if (key && 'exact' in key) push(this.exact, key.exact, compiled);
      else if (key) push(this.byNamespace, key.namespace, compiled);
      else this.unindexed.push(compiled);
    });
  }

  evaluate(input: PolicyInput): PolicyDecision {
    const classes = toolClasses(input.tool.annotations ?? {}, input.tool.offline);
    const taint = input.taint ?? [];
    const context: MatchContext = {
      toolName: input.tool.name,
      server: input.server ?? 'builtin',
      classes,
      args: input.arguments !== null && typeof input.arguments === 'object' ? input.arguments : {},
      intent: input.intent,
      confidence: typeof input.confidence === 'number' && input.confidence >= 0 && input.confidence <= 1 ? input.confidence : 0,
      tainted: taint.length > 0,
      recentCalls: input.recentCalls ?? noCalls,
      resolvePath: memoResolver(this.workspace),
    };
    let best: CompiledRule | null = null;
    const consider = (rules: readonly CompiledRule[] | undefined): void => {
      if (!rules) return;
      for (const rule of rules) {
        if (best && (RANK[rule.effect] < RANK[best.effect] || (rule.effect === best.effect && rule.order > best.order))) continue;
        if (rule.matches(context)) best = rule;
      }
    };
    consider(this.exact.get(context.toolName));
    consider(this.byNamespace.get(namespaceOf(context.toolName)));
    consider(this.unindexed);
    const decided = best as CompiledRule | null;

    let decision: PolicyDecision;
    if (decided) decision = { effect: decided.effect, ruleId: decided.id, reason: decided.reason };
    else if (input.conversationAllowed) decision = { effect: 'allow', ruleId: CONVERSATION_ALLOWED_RULE, reason: conversationAllowedReason(context.toolName, input.conversationAllowedBy, input.callerOfTheDay) };
    else decision = defaultDecision(context.toolName, classes);

    if (decision.effect === 'allow' && context.tainted && isSensitive(classes)) {
      const sources = taint.map((s) => s.description).join('; ');
      return {
        effect: 'ask',
        ruleId: 'taint.override',
        reason: `This conversation read untrusted content (${sources}), so ${context.toolName}, which can change things or send data out, asks you even though ${decision.ruleId} would allow it.`,
      };
    }
    // The request did not call for this tool (policy-driven routing), and it can change things or send data out:
    // the person says whether it may run, unless they already did (allowed for this conversation, or always with
    // a rule of their own). Reading is never held up by a router's guess.
    const personAllowed = decision.ruleId === CONVERSATION_ALLOWED_RULE || decision.ruleId.startsWith('user.');
    if (decision.effect === 'allow' && input.outsideRoute && isSensitive(classes) && !personAllowed) return { effect: 'ask', ruleId: 'route.outside', reason: input.outsideRoute };
    // A server without an OS sandbox is trusted with nothing: each of its calls asks, whatever allowed it.
    if (decision.effect === 'allow' && asksEveryCall(input.tool)) {
      return {
        effect: 'ask',
        ruleId: 'default.unsandboxed-server',
        // The rule it overrode is named, as the taint override names it: "allow" in the file is not what happened.
        reason: `${context.toolName} comes from the ${input.tool.server} server, which runs without an OS sandbox, so it asks you first${decision.ruleId === 'default.read-only' ? '' : ` even though ${decision.ruleId} would allow it`}.`,
      };
    }
    return decision;
  }
}

export function defaultDecision(toolName: string, classes: ReadonlySet<ToolClass>): PolicyDecision {
  if (classes.has('read-only')) {
    return { effect: 'allow', ruleId: 'default.read-only', reason: `${toolName} only reads, so it runs without asking.` };
  }
  return { effect: 'ask', ruleId: 'default.mutating', reason: `${toolName} can change things (it is not marked read-only), so it asks you first.` };
}

function memoResolver(workspace: string): (value: string) => ResolvedPath {
  let cache: Map<string, ResolvedPath> | undefined;
  return (value) => {
    cache ??= new Map();
    let resolved = cache.get(value);
    if (!resolved) {
      resolved = resolvePathArgument(value, workspace);
      cache.set(value, resolved);
    }
    return resolved;
  };
}

function push<K>(map: Map<K, CompiledRule[]>, key: K, rule: CompiledRule): void {
  const bucket = map.get(key);
  if (bucket) bucket.push(rule);
  else map.set(key, [rule]);
}

/** The policy with no rules at all: the defaults. */
export class DefaultPolicyEngine extends RulesPolicyEngine {
  constructor() {
    super([], { workspace: process.cwd(), home: process.cwd(), ignoreCase: false });
  }
}
