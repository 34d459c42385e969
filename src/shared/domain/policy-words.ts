import type { ArgMatcher, RuleMatch, ToolClass } from './policy';

/** A value as the policy file would spell it: strings quoted, so `"notes/*.md"` reads as a pattern, not prose. */
const literal = (value: unknown): string => JSON.stringify(value) ?? String(value);
const anyOf = (values: readonly unknown[]): string => values.map(literal).join(' or ');
const asList = <T>(value: T | readonly T[]): readonly T[] => (Array.isArray(value) ? value : [value as T]);

function describeMatcher(name: string, kind: string, value: unknown): string {
  const list = Array.isArray(value) ? anyOf(value) : literal(value);
  switch (kind) {
    case 'glob': return `${name} matches ${list}`;
    case 'within': return `${name} is inside ${list}`;
    case 'outside': return `${name} is outside ${list}`;
    case 'domain': return `${name} is on ${list}`;
    case 'notDomain': return `${name} is not on ${list}`;
    case 'enum': return `${name} is ${list}`;
    case 'regex': return `${name} matches the pattern /${String(value)}/`;
    case 'present': return value === false ? `${name} is not given` : `${name} is given`;
    case 'range': {
      const { min, max } = value as { min?: number; max?: number };
      if (min !== undefined && max !== undefined) return `${name} is between ${min} and ${max}`;
      if (min !== undefined) return `${name} is at least ${min}`;
      return max !== undefined ? `${name} is at most ${max}` : `${name} is a number`;
    }
    default: return `${name} ${kind} ${list}`;
  }
}

/** Plain words for an argument pattern: "path matches "notes/*.md"; url is on "example.com"". */
export function describeArgs(args: Readonly<Record<string, ArgMatcher | Record<string, unknown>>>): string {
  const parts = Object.entries(args).map(([name, matcher]) =>
    Object.entries(matcher)
      .filter(([, value]) => value !== undefined)
      .map(([kind, value]) => describeMatcher(name, kind, value))
      .join(', '),
  );
  return parts.length > 0 ? parts.join('; ') : 'any arguments';
}

/**
 * The condition of an "Always allow" rule in words, after "always allow TOOL". An empty pattern (an MCP tool whose
 * arguments are lists or free text is proposed one) says outright that every call will run unasked: "when any
 * arguments" hid it.
 */
export function alwaysAllowCondition(args: Readonly<Record<string, ArgMatcher | Record<string, unknown>>>): string {
  return Object.keys(args).length === 0 ? 'with any arguments: every call of it runs without asking you' : `when ${describeArgs(args)}`;
}

const CLASS_WORDS: Record<ToolClass, string> = {
  'read-only': 'only reads',
  mutating: 'changes things',
  destructive: 'may delete or overwrite data',
  'open-world': 'reaches outside your computer',
};

/** A rule's tools or servers: a `!glob` takes names out of those the others name ("the tool is "memory.*", but not …"). */
function describeNames(what: 'tool' | 'server', patterns: readonly string[]): string {
  const excluded = patterns.filter((pattern) => pattern.startsWith('!')).map((pattern) => pattern.slice(1));
  const named = `the ${what} is ${anyOf(patterns.filter((pattern) => !pattern.startsWith('!')))}`;
  return excluded.length > 0 ? `${named}, but not ${anyOf(excluded)}` : named;
}

/**
 * A rule's match as the conditions that must all hold, one sentence fragment each, in the order the engine
 * reads them; an empty match holds for every call.
 */
export function describeRuleMatch(match: RuleMatch): string[] {
  const conditions: string[] = [];
  if (match.tool !== undefined) conditions.push(describeNames('tool', asList(match.tool)));
  if (match.server !== undefined) conditions.push(describeNames('server', asList(match.server)));
  if (match.class !== undefined) conditions.push(`the tool ${asList(match.class).map((c) => CLASS_WORDS[c]).join(' or ')}`);
  if (match.args !== undefined) conditions.push(...Object.entries(match.args).map(([name, matcher]) => describeArgs({ [name]: matcher })));
  if (match.intent !== undefined) conditions.push(`the request's intent is ${anyOf(asList(match.intent))}`);
  if (match.confidence !== undefined) conditions.push(describeMatcher("the router's confidence", 'range', match.confidence));
  if (match.tainted !== undefined) conditions.push(match.tainted ? 'the conversation is tainted (it holds untrusted content)' : 'the conversation is not tainted');
  if (match.rate !== undefined) conditions.push(`the tool already ran ${match.rate.max} times in the last ${match.rate.windowSeconds} s`);
  return conditions.length > 0 ? conditions : ['every call'];
}
