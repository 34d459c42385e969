/**
 * The tool a mistyped name most likely meant ("everythin.echo" → "everything.echo"): the one name within two edits of
 * it (a letter added, dropped, changed, or two swapped; case aside), fewer for a short name. Undefined when none is
 * that near, or two are equally near: a guess between them would be a coin toss.
 */
export function nearestToolName(name: string, names: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  const limit = Math.min(2, Math.floor(wanted.length / 4));
  let best: string | undefined;
  let bestDistance = Infinity;
  let tied = false;
  for (const candidate of names) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance > limit || distance > bestDistance) continue;
    tied = distance === bestDistance;
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return tied ? undefined : best;
}

/** Letters to insert, delete, replace or swap with the next to turn one name into the other (Damerau–Levenshtein, as typos go). */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j]!, before[j - 2]! + 1);
    }
    [before, previous] = [previous, current];
  }
  return previous[b.length]!;
}

/**
 * The one tool whose own name (after its server's) is the asked name's, for a model that left the server out
 * ("read" for fs.read) or made one up ("filesystem.read"), as small models do: too far from any name for
 * `nearestToolName`, yet one tool plainly meant. Undefined when no tool, or several, end so.
 */
export function toolOfOwnName(name: string, names: readonly string[]): string | undefined {
  const own = (full: string) => full.toLowerCase().split(/\.|__/).at(-1)!;
  const wanted = own(name);
  const matching = names.filter((candidate) => candidate.includes('.') && own(candidate) === wanted);
  return matching.length === 1 ? matching[0] : undefined;
}
