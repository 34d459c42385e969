import picomatch from 'picomatch';
import type { PolicyEffect, PolicyRule, ToolClass } from '../../shared/domain/policy';
import { isExclusion } from '../tools/tool-glob-list';
import { compileArgMatcher, type ArgPredicate, type PathContext, type PathResolver } from './matchers/arg-matcher';

/** What a compiled rule is checked against: everything already computed once per call. */
export interface MatchContext {
  toolName: string;
  server: string;
  classes: ReadonlySet<ToolClass>;
  args: Record<string, unknown>;
  intent: string | undefined;
  confidence: number;
  tainted: boolean;
  recentCalls(windowMs: number): number;
  /** Memoized for this one decision. */
  resolvePath: PathResolver;
}

export interface CompiledRule {
  id: string;
  effect: PolicyEffect;
  reason: string;
  /** Position in the policy: among rules of the same effect the first one decides. */
  order: number;
  /** The exact tool name, or the literal namespace before the first `.` of the glob, for indexing. */
  indexKey: { exact: string } | { namespace: string } | null;
  matches(context: MatchContext): boolean;
}

/** An argument name with glob characters (`"{path,paths,file_path}"`, `"*_path"`) stands for every argument so named. */
const NAME_PATTERN = /[*?{[]/;

/**
 * The test of one `args` entry. A name, or a name pattern, stands for every argument so named in any case (a tool
 * is free to call it `Path` or `URI`): the entry holds, in a deny or ask rule, when any of them matches (a secret
 * named in `file_path` is one named in `path`), and in an allow rule only when every one of them does; with no
 * argument so named, the matcher sees an absent argument.
 */
function argumentTest(name: string, predicate: ArgPredicate, effect: PolicyEffect): (c: MatchContext) => boolean {
  const lower = name.toLowerCase();
  const named = NAME_PATTERN.test(name) ? picomatch(name, { dot: true, nocase: true }) : (key: string) => key.toLowerCase() === lower;
  return (c) => {
    const values = Object.keys(c.args).filter((key) => named(key)).map((key) => c.args[key]);
    if (values.length === 0) return predicate(undefined, c.resolvePath);
    const holds = (value: unknown) => predicate(value, c.resolvePath);
    return effect === 'allow' ? values.every(holds) : values.some(holds);
  };
}

const list = <T>(value: T | T[] | undefined): T[] | undefined => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);
const GLOB_CHARS = /[*?[\]{}()!+@\\]/;

/**
 * The test that a list of names and globs (a rule's tools or servers) names what `of` gives: a `!glob` takes names
 * out of those the others name, as --approve and a key's tools read it (tool-glob-list.ts). picomatch alone reads a
 * lone `!glob` as every name but those, and the list as any of its patterns: `["memory.*", "!memory.delete_entities"]`
 * matched every tool, and an allow rule's `server: ["github", "!github-admin"]` every server.
 */
function namedBy(patterns: readonly string[], of: (c: MatchContext) => string): (c: MatchContext) => boolean {
  const excluded = patterns.filter(isExclusion).map((p) => picomatch(p.slice(1), { dot: true }));
  const named = patterns.filter((p) => !isExclusion(p));
  const exactSet = new Set(named.filter((p) => !GLOB_CHARS.test(p)));
  const globs = named.filter((p) => GLOB_CHARS.test(p)).map((p) => picomatch(p, { dot: true }));
  return (c) => {
    const name = of(c);
    return !excluded.some((g) => g(name)) && (exactSet.has(name) || globs.some((g) => g(name)));
  };
}

export function compileRule(rule: PolicyRule, order: number, context: PathContext): CompiledRule {
  const { match } = rule;
  const tests: Array<(c: MatchContext) => boolean> = [];
  const tools = list(match.tool);
  let indexKey: CompiledRule['indexKey'] = null;
  if (tools) {
    tests.push(namedBy(tools, (c) => c.toolName));
    if (tools.length === 1 && !isExclusion(tools[0]!)) indexKey = GLOB_CHARS.test(tools[0]!) ? namespaceKey(tools[0]!) : { exact: tools[0]! };
  }
  const servers = list(match.server);
  if (servers) tests.push(namedBy(servers, (c) => c.server));
  const classes = list(match.class);
  if (classes) tests.push((c) => classes.some((k) => c.classes.has(k)));
  const intents = list(match.intent);
  if (intents) tests.push((c) => c.intent !== undefined && intents.includes(c.intent));
  if (match.confidence) {
    const min = match.confidence.min ?? 0;
    const max = match.confidence.max ?? 1;
    tests.push((c) => c.confidence >= min && c.confidence <= max);
  }
  if (match.tainted !== undefined) {
    const want = match.tainted;
    tests.push((c) => c.tainted === want);
  }
  if (match.rate) {
    const { max, windowSeconds } = match.rate;
    tests.push((c) => c.recentCalls(windowSeconds * 1000) >= max);
  }
  if (match.args) {
    const argTests = Object.entries(match.args).map(([name, m]) => argumentTest(name, compileArgMatcher(m, rule.effect, context), rule.effect));
    tests.push((c) => argTests.every((test) => test(c)));
  }
  return {
    id: rule.id,
    effect: rule.effect,
    reason: rule.reason,
    order,
    indexKey,
    matches: (c) => tests.every((test) => test(c)),
  };
}

function namespaceKey(glob: string): CompiledRule['indexKey'] {
  const dot = glob.indexOf('.');
  if (dot <= 0) return null;
  const namespace = glob.slice(0, dot);
  return GLOB_CHARS.test(namespace) ? null : { namespace };
}
