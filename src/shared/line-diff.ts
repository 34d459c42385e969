export type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string };
/** A run of unchanged lines left out of a shown diff. */
export type SkippedLines = { kind: 'skipped'; count: number };

const MAX_CELLS = 4_000_000;

/**
 * A line diff by longest common subsequence, after trimming the common head and tail. Inputs too large for
 * the table come back as "all removed, all added", which is still honest.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((text): DiffLine => ({ kind: 'same', text }));
  const tail = a.slice(endA).map((text): DiffLine => ({ kind: 'same', text }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if ((midA.length + 1) * (midB.length + 1) > MAX_CELLS) {
    return [...head, ...midA.map((text): DiffLine => ({ kind: 'removed', text })), ...midB.map((text): DiffLine => ({ kind: 'added', text })), ...tail];
  }
  const width = midB.length + 1;
  const table = new Uint32Array((midA.length + 1) * width);
  for (let i = midA.length - 1; i >= 0; i--) {
    for (let j = midB.length - 1; j >= 0; j--) {
      table[i * width + j] = midA[i] === midB[j] ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const middle: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
      middle.push({ kind: 'same', text: midA[i]! });
      i++;
      j++;
    } else if (i < midA.length && (j === midB.length || table[(i + 1) * width + j]! >= table[i * width + j + 1]!)) {
      middle.push({ kind: 'removed', text: midA[i++]! }); // on a tie the old line first, as diffs read
    } else {
      middle.push({ kind: 'added', text: midB[j++]! });
    }
  }
  return [...head, ...middle, ...tail];
}

/**
 * A diff as a person reads it: each change with `context` unchanged lines around it, and each longer unchanged
 * run between changes as one line saying how many were left out (a one-line edit of a long file stays short).
 */
export function withContext(lines: readonly DiffLine[], context = 3): Array<DiffLine | SkippedLines> {
  const near = new Array<boolean>(lines.length).fill(false);
  lines.forEach((line, index) => {
    if (line.kind === 'same') return;
    for (let at = Math.max(0, index - context); at <= Math.min(lines.length - 1, index + context); at++) near[at] = true;
  });
  const shown: Array<DiffLine | SkippedLines> = [];
  for (let index = 0; index < lines.length; ) {
    let end = index;
    while (end < lines.length && !near[end]) end++;
    // A run shorter than its own notice is shown as it is.
    if (end - index > 1) {
      shown.push({ kind: 'skipped', count: end - index });
      index = end;
    } else {
      shown.push(lines[index]!);
      index++;
    }
  }
  return shown;
}
