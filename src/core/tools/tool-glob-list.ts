import picomatch from 'picomatch';

/**
 * A list of tool names and globs (`--approve`, a key's tools, a token's tools claim) as one test of a tool's name:
 * the pattern that names it, or null. A `!glob` only takes the tools it matches out of those the others name: alone,
 * picomatch reads `!memory.delete_entities` as every tool but that one, so `memory.*,!memory.delete_entities` named
 * every tool of every server.
 */
export function toolGlobList(patterns: readonly string[]): (name: string) => string | null {
  const excluded = patterns.filter(isExclusion).map((pattern) => picomatch(pattern.slice(1), { dot: true }));
  const named = patterns.filter((pattern) => !isExclusion(pattern)).map((pattern) => ({ pattern, matches: picomatch(pattern, { dot: true }) }));
  return (name) => (excluded.some((matches) => matches(name)) ? null : (named.find(({ matches }) => matches(name))?.pattern ?? null));
}

/** A pattern that takes tools out of a list (`!fs.delete`) rather than naming them. */
export function isExclusion(pattern: string): boolean {
  return pattern.startsWith('!');
}
