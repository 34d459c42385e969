import { describe, expect, it } from 'vitest';
import { sanitizeToolOutput, stripControlChars } from '../../src/core/tools/output-sanitizer';

describe('tool output sanitizing', () => {
  it('strips terminal escapes, whole, and other control characters but keeps newlines and tabs', () => {
    const { value } = sanitizeToolOutput({ content: [{ type: 'text', text: 'a\u001b[31mb\u0007c\u0000d\n\te\u009b' }] });
    expect(value).toEqual({ content: [{ type: 'text', text: 'abcd\n\te' }] });
  });

  it('takes out each kind of escape sequence with its parameters, and leaves the text after a stray one', () => {
    const cases: Array<[string, string]> = [
      ['\u001b[1;31;40mred\u001b[0m', 'red'], // colours
      ['\u001b[2J\u001b[Hhome', 'home'], // clear the screen, move the cursor
      ['\u009b31mC1', 'C1'], // the one-byte CSI
      ['\u001b]0;fake title\u0007after', 'after'], // a window title, ended by BEL
      ['\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\', 'link'], // a hyperlink, ended by ST
      ['\u001bckeep', 'keep'], // a two-character escape (reset)
      ['\u001b7saved\u001b8', 'saved'], // save and restore the cursor
      ['\u001b]never ended, the text stays', 'never ended, the text stays'],
    ];
    for (const [text, shown] of cases) expect(stripControlChars(text), JSON.stringify(text)).toBe(shown);
  });

  it('cuts an oversized result down with a visible notice in the text the model reads', () => {
    const big = { content: [{ type: 'text', text: 'y'.repeat(3 * 1024 * 1024) }] };
    const out = sanitizeToolOutput(big, 64 * 1024);
    expect(out.truncated).toBe(true);
    const text = (out.value as { content: Array<{ text: string }> }).content[0]!.text;
    expect(text.startsWith('y'.repeat(1000))).toBe(true);
    expect(text).toMatch(/\[Output truncated by Portcullis: the tool returned 3\.0 MB; only the first 64 KB are shown\.\]$/);
    expect(JSON.stringify(out.value).length).toBeLessThan(70 * 1024);
  });

  it('leaves small results alone', () => {
    expect(sanitizeToolOutput({ entries: ['a', 'b'] })).toEqual({ value: { entries: ['a', 'b'] }, truncated: false, originalChars: 21 });
  });
});
