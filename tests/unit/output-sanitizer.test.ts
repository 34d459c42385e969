import { describe, expect, it } from 'vitest';
import { sanitizeToolOutput } from '../../src/core/tools/output-sanitizer';

describe('tool output sanitizing', () => {
  it('strips terminal escapes and other control characters but keeps newlines and tabs', () => {
    const { value } = sanitizeToolOutput({ content: [{ type: 'text', text: 'a\u001b[31mb\u0007c\u0000d\n\te\u009b' }] });
    expect(value).toEqual({ content: [{ type: 'text', text: 'a[31mbcd\n\te' }] });
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
