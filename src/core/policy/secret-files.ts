import type { PolicyRule } from '../../shared/domain/policy';
import { compileRule } from './compiled-rule';
import type { PathContext } from './matchers/arg-matcher';
import { resolvePathArgument, type ResolvedPath } from './matchers/resolve-path';

/** The rule whose globs say which files hold secrets (`.env`, keys, credentials): policy.yaml is their one list. */
export const SECRET_FILES_RULE = 'deny.secrets';

const READ_ONLY = new Set(['read-only'] as const);

/**
 * Whether the policy in force calls a file a secret file: its `deny.secrets` rule, compiled as the policy compiles it
 * (its globs, any case, the written and the symlink-followed path), holds for a read of it. The OS sandbox hides such
 * files of the workspace from servers with this, so what a server may read on its own follows the same list as what
 * the model may ask for. No such rule (the person removed it): no file is.
 */
export function secretFileTest(rules: readonly PolicyRule[], context: PathContext): (path: string) => boolean {
  const rule = rules.find((r) => r.id === SECRET_FILES_RULE && r.effect === 'deny');
  if (!rule) return () => false;
  const compiled = compileRule(rule, 0, context);
  return (path) => {
    const resolved = new Map<string, ResolvedPath>();
    return compiled.matches({
      toolName: 'fs.read',
      server: 'builtin',
      classes: READ_ONLY,
      args: { path },
      intent: undefined,
      confidence: 0,
      tainted: false,
      recentCalls: () => 0,
      resolvePath: (value) => resolved.get(value) ?? resolved.set(value, resolvePathArgument(value, context.workspace)).get(value)!,
    });
  };
}
