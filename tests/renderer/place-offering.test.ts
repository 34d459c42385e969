import { describe, expect, it } from 'vitest';
import { placeOffering } from '../../src/renderer/features/chat/place-offering';

const at = (text: string, word: string) => {
  const start = text.indexOf(`@${word}`);
  return { kind: 'at' as const, query: word, start, end: start + word.length + 1 };
};

describe('placeOffering: a prompt or resource goes into the box as it is now', () => {
  it('puts a resource on lines of its own in place of @word, the cursor after it', () => {
    const text = 'Write about @arch and more';
    const placed = placeOffering(text, text.indexOf(' and'), at(text, 'arch'), 'DOC');
    expect(placed.text).toBe('Write about \nDOC\nand more');
    expect(placed.caret).toBe('Write about \nDOC\n'.length);
  });

  it('keeps what was typed after @word while the server was reading, and the cursor after that', () => {
    const before = 'Write about @arch';
    const now = `${before}ple`;
    const placed = placeOffering(now, now.length, at(before, 'arch'), 'DOC');
    expect(placed.text).toBe('Write about \nDOC\nple');
    expect(placed.caret).toBe(placed.text.length);
  });

  it('keeps text typed before @word and still finds the word where it began', () => {
    const before = 'about @arch';
    const trigger = at(before, 'arch');
    // The person typed at the end meanwhile; the word itself did not move.
    const placed = placeOffering(`${before} x`, before.length + 2, trigger, 'DOC');
    expect(placed.text).toBe('about \nDOC\nx');
    expect(placed.caret).toBe(placed.text.length);
  });

  it('takes nothing out when the @word was changed meanwhile', () => {
    const trigger = at('see @arch', 'arch');
    const placed = placeOffering('see @ar', 7, trigger, 'DOC');
    expect(placed.text).toBe('see \nDOC\n@ar');
    expect(placed.caret).toBe(placed.text.length);
  });

  it('puts a prompt in place of /name and keeps what was typed after it', () => {
    const trigger = { kind: 'slash' as const, query: 'review' };
    expect(placeOffering('/review', 7, trigger, 'PROMPT')).toEqual({ text: 'PROMPT', caret: 6 });
    expect(placeOffering('/review now', 11, trigger, 'PROMPT')).toEqual({ text: 'PROMPT now', caret: 10 });
  });

  it('keeps a text that replaced /name meanwhile, after the prompt', () => {
    const placed = placeOffering('hello', 5, { kind: 'slash', query: 'review' }, 'PROMPT');
    expect(placed).toEqual({ text: 'PROMPT\nhello', caret: 'PROMPT\nhello'.length });
  });
});
