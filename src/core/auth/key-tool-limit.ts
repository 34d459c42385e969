import { splitToolPatterns } from '../../shared/domain/tool-patterns';
import { isExclusion, toolGlobList } from '../tools/tool-glob-list';
import type { Scope, ToolLimit } from './scopes';

/** The most patterns one key may be limited to, and the longest one pattern may be. */
const MAX_PATTERNS = 50;
const MAX_PATTERN_LENGTH = 200;

/**
 * Scopes that reach tools other than by a direct call, so a tool list would not hold for them: `chat` runs turns
 * whose model calls any tool, `admin` can make itself an unlimited key or change the policy, and `approve` answers
 * whatever call waits for the person, another client's call of a tool outside the list too.
 */
const UNLIMITABLE_SCOPES: readonly Scope[] = ['chat', 'admin', 'approve'];

const WHY_UNLIMITABLE: Partial<Record<Scope, string>> = {
  chat: "a chat turn's model calls any tool",
  admin: 'admin can make itself a key without the limit',
  approve: "approve answers any call that waits for the person, another client's of any tool too",
};

/**
 * The tool globs a key is to be limited to, as `--tools "fs.read,everything.*"` says them (commas inside braces,
 * `{read,write}`, stay in their glob). Null for no list: every tool. An empty list, or a pattern too long, is an error.
 */
export function parseKeyTools(said: string | readonly string[] | null | undefined): string[] | null {
  if (said === null || said === undefined) return null;
  const patterns = (typeof said === 'string' ? splitToolPatterns(said) : [...said]).map((pattern) => pattern.trim()).filter((pattern) => pattern !== '');
  if (patterns.length === 0) throw new Error('A key limited to tools needs at least one tool name or glob (--tools "fs.read,everything.*").');
  if (patterns.length > MAX_PATTERNS) throw new Error(`A key can be limited to at most ${MAX_PATTERNS} tool names or globs.`);
  const long = patterns.find((pattern) => pattern.length > MAX_PATTERN_LENGTH);
  if (long) throw new Error(`A tool name or glob is at most ${MAX_PATTERN_LENGTH} characters ("${long.slice(0, 40)}…").`);
  if (patterns.every(isExclusion)) throw new Error(`A !glob only takes tools out of those the others name ("${patterns[0]}"): name the tools too, e.g. --tools "memory.*,!memory.delete_entities".`);
  return [...new Set(patterns)];
}

/** Why these scopes cannot go with a tool list, or null when they can. */
export function unlimitableScopes(scopes: readonly Scope[]): string | null {
  const unlimitable = scopes.filter((scope) => UNLIMITABLE_SCOPES.includes(scope));
  if (unlimitable.length === 0) return null;
  const why = unlimitable.map((scope) => WHY_UNLIMITABLE[scope]);
  return `A key limited to certain tools cannot also have the ${unlimitable.map((scope) => `"${scope}"`).join(' or ')} scope: ${why.join(', and ')}. Give it "tools" (and the traces scopes if it needs them).`;
}

/** Whether a key limited to these patterns may call the tool (by Portcullis' name). */
export function toolLimitAllows(limit: ToolLimit | undefined, name: string): boolean {
  return !limit || toolGlobList(limit.patterns)(name) !== null;
}

export function toolLimitRefusal(limit: ToolLimit, name: string): string {
  return `${name} is not among the tools ${limit.holder} may call (${limit.patterns.join(', ')}), so it was not run. ${widenHint(limit)}, or call it in Portcullis itself.`;
}

/** What would let the holder of a limit reach `what` (`that tool`): its key changed, or a token that names it. */
export function widenHint(limit: ToolLimit, what = 'that tool'): string {
  return limit.source === 'key' ? `Give the key ${what} (portcullis keys update --tools, or Settings → Local API keys)` : `Ask for a token whose tools claim names ${what}`;
}
