import picomatch from 'picomatch';
import { isAbsolute, parse, relative, sep } from 'node:path';
import type { ArgMatcher, PolicyEffect } from '../../../shared/domain/policy';
import { compilePolicyRegex } from '../../../shared/domain/policy-regex';
import { readFileUri } from './file-uri';
import { isInside, resolvePathArgument, type ResolvedPath } from './resolve-path';

export { resolvePathArgument };
import { hostMatches, normalizeDomainPattern, urlHost } from './url-host';

export interface PathContext {
  workspace: string;
  home: string;
  /** Case-insensitive file systems (macOS, Windows by default). */
  ignoreCase: boolean;
}

/** Resolves a path argument once per decision, however many rules look at it. */
export type PathResolver = (value: string) => ResolvedPath;

/** A compiled argument condition. `value` is undefined when the argument is absent. */
export type ArgPredicate = (value: unknown, paths: PathResolver) => boolean;

export function expandVariables(text: string, context: PathContext): string {
  return text.replaceAll('${workspace}', context.workspace).replaceAll('${home}', context.home);
}

/**
 * Compiles one argument matcher. Deny and ask rules match broadly (either the written or the symlink-followed
 * path, any case, any element of a list) and allow rules narrowly (both forms, every element), so a trick
 * that confuses one reading can only make a call more restricted, never less.
 */
export function compileArgMatcher(matcher: ArgMatcher, effect: PolicyEffect, context: PathContext): ArgPredicate {
  const broad = effect !== 'allow';
  const checks: ArgPredicate[] = [];
  if (matcher.present !== undefined) {
    const want = matcher.present;
    checks.push((value) => (value !== undefined) === want);
  }
  const scalar: ArgPredicate[] = [];
  if (matcher.within) {
    const roots = matcher.within.map((root) => resolvePathArgument(expandVariables(root, context), context.workspace));
    const ignoreCase = broad || context.ignoreCase;
    scalar.push(pathTest(broad, (p) => roots.some((root) => isInside(p, root.real, ignoreCase) || isInside(p, root.lexical, ignoreCase))));
  }
  if (matcher.outside) {
    const roots = matcher.outside.map((root) => resolvePathArgument(expandVariables(root, context), context.workspace));
    const ignoreCase = !broad && context.ignoreCase;
    scalar.push(pathTest(broad, (p) => !roots.some((root) => isInside(p, root.real, ignoreCase) || isInside(p, root.lexical, ignoreCase))));
  }
  if (matcher.glob) {
    const globs = matcher.glob.map((glob) => expandVariables(glob, context));
    const options = { dot: true, nocase: broad || context.ignoreCase, windows: sep === '\\' };
    const absolute = globs.filter((g) => isAbsolute(g)).map((g) => picomatch(g, options));
    const relativeGlobs = globs.filter((g) => !isAbsolute(g)).map((g) => picomatch(g, options));
    // "**/.env" in a deny or ask rule means such a file anywhere: also one an MCP server reaches outside the workspace.
    const anywhereGlobs = broad ? globs.filter((g) => g.startsWith('**/')).map((g) => picomatch(g, options)) : [];
    scalar.push(
      pathTest(broad, (p) => {
        if (absolute.some((test) => test(p))) return true;
        const rel = relative(context.workspace, p);
        if (rel === '' || rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) {
          const fromRoot = p.slice(parse(p).root.length).split(sep).join('/');
          return anywhereGlobs.some((test) => test(fromRoot));
        }
        const posix = rel.split(sep).join('/');
        return relativeGlobs.some((test) => test(posix));
      }),
    );
  }
  if (matcher.domain) {
    const patterns = matcher.domain.map(normalizeDomainPattern);
    scalar.push((value) => {
      if (typeof value !== 'string') return false;
      const host = urlHost(value);
      return host !== null && hostMatches(host, patterns);
    });
  }
  if (matcher.notDomain) {
    const patterns = matcher.notDomain.map(normalizeDomainPattern);
    scalar.push((value) => {
      if (typeof value !== 'string') return true;
      const host = urlHost(value);
      return host === null || !hostMatches(host, patterns);
    });
  }
  if (matcher.regex !== undefined) {
    const compiled = compilePolicyRegex(matcher.regex);
    // The schema refuses such a pattern; one that reaches here anyway fails its rule's compiling, as before.
    if (!compiled.ok) throw new Error(compiled.error);
    const regex = compiled.regex;
    scalar.push((value) => value !== undefined && regex.test(typeof value === 'string' ? value : JSON.stringify(value)));
  }
  if (matcher.range) {
    const min = matcher.range.min ?? -Infinity;
    const max = matcher.range.max ?? Infinity;
    scalar.push((value) => {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      return !Number.isNaN(n) && n >= min && n <= max;
    });
  }
  if (matcher.enum) {
    const values = new Set<unknown>(matcher.enum);
    scalar.push((value) => values.has(value));
  }
  for (const test of scalar) checks.push(overElements(test, broad));
  return (value, paths) => checks.every((check) => check(value, paths));
}

/** A list argument (several paths, URLs) matches broadly when any element does, narrowly when all do. */
function overElements(test: ArgPredicate, broad: boolean): ArgPredicate {
  return (value, paths) => {
    if (value === undefined) return false;
    if (!Array.isArray(value)) return test(value, paths);
    if (value.length === 0) return false;
    return broad ? value.some((v) => test(v, paths)) : value.every((v) => test(v, paths));
  };
}

/**
 * A path argument's test. A `file:` URI (a resource's `uri`) is read both as written and as the path it names, so
 * every path rule holds for `file:///home/me/.env` as for `/home/me/.env`; one no URL parser takes matches broadly
 * and never narrowly, as a value that is no path at all does.
 */
function pathTest(broad: boolean, test: (path: string) => boolean): ArgPredicate {
  return (value, paths) => {
    if (typeof value !== 'string' || value.length === 0 || value.includes('\0')) return broad;
    const uri = readFileUri(value);
    if (uri.kind === 'malformed' || (uri.kind === 'path' && (uri.path === '' || uri.path.includes('\0')))) return broad;
    const readings: ResolvedPath[] = uri.kind === 'path' ? [paths(value), paths(uri.path)] : [paths(value)];
    const holds = (resolved: ResolvedPath) => (broad ? test(resolved.lexical) || test(resolved.real) : test(resolved.lexical) && test(resolved.real));
    return broad ? readings.some(holds) : readings.every(holds);
  };
}
