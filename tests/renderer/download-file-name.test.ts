import { describe, expect, it } from 'vitest';
import { fileNameOf } from '../../src/renderer/lib/download';

describe('fileNameOf: a conversation title as a file name every system will write', () => {
  it.each([
    ['Plan: Q3 / Q4?', 'Plan-Q3-Q4'],
    ['.', 'conversation'],
    ['...', 'conversation'],
    ['  -  ', 'conversation'],
    ['notes.', 'notes'],
    ['.hidden', 'hidden'],
    ['CON', 'CON-'],
    ['lpt1', 'lpt1-'],
    ['console', 'console'],
    ['tab\there\u0007', 'tab-here'],
  ])('%j → %j', (title, expected) => {
    expect(fileNameOf(title, 'conversation')).toBe(expected);
  });

  it('keeps names short, and does not end them on a dot or dash it cut to', () => {
    const name = fileNameOf(`${'a'.repeat(79)}.b`, 'x');
    expect(name).toBe('a'.repeat(79));
  });
});
