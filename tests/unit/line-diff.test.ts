import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../src/shared/line-diff';

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
});
