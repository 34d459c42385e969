import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PolicyFile, PolicyRule, UserRule } from '../../shared/domain/policy';
import type { PolicyDecision } from '../../shared/domain/tool-call';
import type { PathContext } from './matchers/arg-matcher';
import { caseInsensitiveFileSystem } from './matchers/resolve-path';
import { parsePolicy } from './policy-parser';
import { routeTools, type RoutingDecision } from './intent-routing';
import { homeSecretsRule } from './home-secrets-rule';
import { RulesPolicyEngine, type PolicyEngine, type PolicyInput } from './policy-engine';
import { secretFileTest } from './secret-files';

/** The shipped default, found next to the code both in the source tree and in the built `out/` folder. */
export function findDefaultPolicyFile(start = __dirname): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources', 'policy.default.yaml');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/** Beside the person's policy file: the last version of it that read whole. */
export function lastGoodFile(file: string): string {
  return `${file}.last-good`;
}

const EMPTY_POLICY: PolicyFile = { version: 1, intents: {}, trustedRoots: ['${workspace}'], rules: [] };

export interface PolicySourceOptions {
  /** The person's policy (`<data folder>/policy.yaml`); used when it exists. */
  file: string;
  workspace: string;
  defaultFile?: string | null;
}

/**
 * The active policy: the person's file when present, else the shipped default, plus their "always allow"
 * rules. A broken file leaves the last good policy in force and its error on show, never allow-all.
 */
export class PolicySource implements PolicyEngine {
  private policy: PolicyFile = EMPTY_POLICY;
  private engine: RulesPolicyEngine;
  private userRules: readonly UserRule[] = [];
  private lastMtime = -1;
  private lastPath = '';
  private lastCheck = 0;
  source = 'built-in defaults';
  /** Where the person's own policy goes; it takes over from the shipped default once it exists. */
  get file(): string {
    return this.options.file;
  }
  error: string | null = null;
  loadedAt = 0;
  readonly context: PathContext;

  constructor(private readonly options: PolicySourceOptions) {
    this.context = { workspace: options.workspace, home: homedir(), ignoreCase: caseInsensitiveFileSystem };
    this.engine = new RulesPolicyEngine([homeSecretsRule(this.context.home, this.context.workspace)], this.context);
    this.reload();
  }

  /** Re-reads the file when it changed (checked at most once a second from `evaluate`). */
  reload(): void {
    const { file } = this.options;
    const defaultFile = this.options.defaultFile === undefined ? findDefaultPolicyFile() : this.options.defaultFile;
    const path = existsSync(file) ? file : defaultFile;
    if (!path) return this.apply(EMPTY_POLICY, 'built-in defaults', null);
    try {
      const mtime = statSync(path).mtimeMs;
      if (mtime === this.lastMtime && path === this.lastPath) return;
      const text = readFileSync(path, 'utf8');
      const result = parsePolicy(text, path);
      this.lastMtime = mtime;
      this.lastPath = path;
      if (result.ok) {
        if (path === file) this.keepAsLastGood(text);
        return this.apply(result.policy, path, null);
      }
      this.standInForBrokenFile(path, defaultFile);
      this.error = `The policy file has errors, so the last good policy (${this.source}) stays in force:\n${result.errors.join('\n')}`;
      this.onDidLoad?.({ source: path, error: this.error });
    } catch (error) {
      this.standInForBrokenFile(path, defaultFile);
      this.error = `Could not read the policy file ${path}: ${(error as Error).message}. The last good policy (${this.source}) stays in force.`;
    }
  }

  /**
   * A person's file broken before any good one was read in this process (at start-up, or a `portcullis policy`
   * command beside the app): the last good copy of it stands in, as it does in a process that read it; else the
   * shipped default, with its deny rules, rather than no rules at all, under which anything read-only (a URL fetch
   * too) would run unasked.
   */
  private standInForBrokenFile(path: string, defaultFile: string | null): void {
    if (this.policy !== EMPTY_POLICY || path === defaultFile) return;
    for (const candidate of [lastGoodFile(this.options.file), defaultFile]) {
      if (!candidate || !existsSync(candidate)) continue;
      try {
        const parsed = parsePolicy(readFileSync(candidate, 'utf8'), candidate);
        if (parsed.ok) return this.apply(parsed.policy, candidate, null);
      } catch {
        // Unreadable: the next one, and at last the empty policy, under which everything not read-only asks.
      }
    }
  }

  /** The person's file as last read whole, for a later process that finds it broken. */
  private keepAsLastGood(text: string): void {
    const kept = lastGoodFile(this.options.file);
    try {
      if (existsSync(kept) && readFileSync(kept, 'utf8') === text) return;
      writeFileSync(`${kept}.tmp`, text, { mode: 0o600 });
      renameSync(`${kept}.tmp`, kept);
    } catch {
      // A folder it cannot write: the shipped default stands in after a restart, as before.
    }
  }

  /** A rule turned off, or one that cannot be compiled, is left out (it could only ever have allowed something). */
  setUserRules(rules: readonly UserRule[]): void {
    this.userRules = rules.filter((rule) => {
      if (rule.disabled) return false;
      try {
        new RulesPolicyEngine([userRuleToPolicyRule(rule)], this.context);
        return true;
      } catch {
        return false;
      }
    });
    this.rebuild();
  }

  evaluate(input: PolicyInput): PolicyDecision {
    const now = Date.now();
    if (now - this.lastCheck > 1_000) {
      this.lastCheck = now;
      this.reload();
    }
    return this.engine.evaluate(input);
  }

  rules(): readonly PolicyRule[] {
    return this.policy.rules;
  }

  /**
   * Which files the policy in force calls secret files (its `deny.secrets` globs), read fresh from the file; the same
   * test while the policy stays the same, so servers starting together can share one look at the workspace.
   */
  secretFiles(): (path: string) => boolean {
    this.reload();
    if (this.secretTest?.policy !== this.policy) this.secretTest = { policy: this.policy, test: secretFileTest(this.policy.rules, this.context) };
    return this.secretTest.test;
  }

  private secretTest: { policy: PolicyFile; test: (path: string) => boolean } | null = null;

  /** The tools to offer the model for a turn, by the router's intent and confidence (see `routeTools`). */
  route(intent: string | undefined, confidence: number | undefined, tools: readonly string[]): RoutingDecision {
    return routeTools(this.policy.intents, intent, confidence, tools);
  }

  /** Called after each load attempt, with the error when the file was rejected. */
  onDidLoad: ((event: { source: string; error: string | null }) => void) | null = null;

  trustedRoots(): string[] {
    return this.policy.trustedRoots.map((root) => root.replaceAll('${workspace}', this.context.workspace).replaceAll('${home}', this.context.home));
  }

  private apply(policy: PolicyFile, source: string, error: string | null): void {
    // Compile first: a policy that cannot be compiled never replaces the one in force.
    this.engine = this.compile(policy, this.userRules);
    this.policy = policy;
    this.source = source;
    this.error = error;
    this.loadedAt = Date.now();
    this.onDidLoad?.({ source, error });
  }

  private rebuild(): void {
    this.engine = this.compile(this.policy, this.userRules);
  }

  private compile(policy: PolicyFile, userRules: readonly UserRule[]): RulesPolicyEngine {
    // Last: among denials the file's own rule (deny.secrets) is the one named.
    return new RulesPolicyEngine([...policy.rules, ...userRules.map(userRuleToPolicyRule), homeSecretsRule(this.context.home, this.context.workspace)], this.context);
  }
}

export function userRuleToPolicyRule(rule: UserRule): PolicyRule {
  return {
    id: rule.id,
    effect: 'allow',
    reason: rule.reason,
    match: { tool: rule.tool, ...(rule.server ? { server: rule.server } : {}), ...(Object.keys(rule.args).length > 0 ? { args: rule.args } : {}) },
  };
}
