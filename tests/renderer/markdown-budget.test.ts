import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MarkdownText } from '../../src/renderer/lib/MarkdownText';
import { laidOutAsMarkdown, MAX_EMPHASIS_MARKS } from '../../src/renderer/lib/markdown-budget';

const rendered = (text: string): string => renderToString(createElement(MarkdownText, { text }));

describe('a reply with thousands of emphasis or link marks', () => {
  it('is shown as plain text at once, where laying it out as Markdown took seconds (8,000 of "*a_": 3.8 s)', () => {
    const text = '*a_'.repeat(8_000);
    const started = performance.now();
    const html = rendered(text);
    expect(performance.now() - started).toBeLessThan(500);
    expect(html).toContain('class="markdown-plain"');
    expect(html).toContain('*a_*a_*a_');
  });

  it('is shown as plain text at once for thousands of unclosed links, where 12,500 of "[a](" took 4.9 s', () => {
    const started = performance.now();
    expect(rendered('[a]('.repeat(12_500))).toContain('class="markdown-plain"');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('is laid out as Markdown up to the limit', () => {
    expect(laidOutAsMarkdown('*'.repeat(MAX_EMPHASIS_MARKS))).toBe(true);
    expect(laidOutAsMarkdown(`${'_'.repeat(MAX_EMPHASIS_MARKS)}~`)).toBe(false);
    expect(laidOutAsMarkdown(`${'['.repeat(MAX_EMPHASIS_MARKS)}*`)).toBe(false);
    expect(rendered('A **bold** word and ~~gone~~ words.')).toMatch(/<strong>bold<\/strong>.*<del>gone<\/del>/);
  });
});
