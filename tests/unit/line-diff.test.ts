import { describe, expect, it } from 'vitest';
import { lineDiff, withContext } from '../../src/shared/line-diff';

const shown = (before: string, after: string) => lineDiff(before, after).map(({ kind, text }) => `${kind === 'added' ? '+' : kind === 'removed' ? '-' : ' '}${text}`);

describe('a line diff', () => {
  it('keeps the common lines and shows a changed line as the old one, then the new', () => {
    expect(shown('a\nb\nc', 'a\nB\nc')).toEqual([' a', '-b', '+B', ' c']);
  });

  it('finds lines inserted and removed in the middle', () => {
    expect(shown('head\nx\ny\ntail', 'head\ny\nz\ntail')).toEqual([' head', '-x', ' y', '+z', ' tail']);
  });

  it('treats an empty text as no lines', () => {
    expect(shown('', 'new')).toEqual(['+new']);
    expect(shown('old', '')).toEqual(['-old']);
  });

  it('shows each change with three lines around it, and a longer unchanged run as how many lines it left out', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const after = before.map((line) => (line === 'line 10' ? 'line ten' : line));
    const lines = withContext(lineDiff(before.join('\n'), after.join('\n'))).map((line) =>
      line.kind === 'skipped' ? `(${line.count} unchanged)` : `${line.kind === 'added' ? '+' : line.kind === 'removed' ? '-' : ' '}${line.text}`,
    );
    expect(lines).toEqual(['(6 unchanged)', ' line 7', ' line 8', ' line 9', '-line 10', '+line ten', ' line 11', ' line 12', ' line 13', '(7 unchanged)']);
  });

  it('keeps a single unchanged line between changes rather than a notice of it', () => {
    const kinds = withContext(lineDiff('a\nb\nc\nd\ne\nf\ng\nh\ni', 'A\nb\nc\nd\ne\nf\ng\nh\nI'), 3).map((line) => line.kind);
    expect(kinds).toEqual(['removed', 'added', 'same', 'same', 'same', 'same', 'same', 'same', 'same', 'removed', 'added']);
  });
});
