import { describe, expect, it } from 'vitest';
import { ArgumentValidator } from '../../src/core/tools/argument-validator';
import { PATTERN_TIME_LIMIT_MS } from '../../src/core/tools/linear-time-pattern';
import type { ToolDefinition } from '../../src/core/tools/tool-definition';

const withPattern = (pattern: string): ToolDefinition =>
  ({ name: 'srv.match', description: 'a server tool', inputSchema: { type: 'object', properties: { s: { type: 'string', pattern } } } }) as unknown as ToolDefinition;

const accepts = (pattern: string, s: string): boolean => new ArgumentValidator().validate(withPattern(pattern), { s }).ok;

describe("ArgumentValidator and a server's pattern", () => {
  it('refuses text that sets a backtracking pattern off at once, where it held the process (28 characters: seconds; 37: five minutes)', () => {
    const validator = new ArgumentValidator();
    const started = performance.now();
    const result = validator.validate(withPattern('^(a+)+$'), { s: `${'a'.repeat(28)}!` });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('"s" must match pattern "^(a+)+$"') });
    expect(validator.validate(withPattern('^(a+)+$'), { s: 'a'.repeat(100_000) }).ok).toBe(true);
  });

  it('counts a character beyond U+FFFF as one, as the u flag does', () => {
    expect(accepts('^.{2}$', '😀😀')).toBe(true);
    expect(accepts('^.$', '😀😀')).toBe(false);
    expect(accepts('^[^a]$', '😀')).toBe(true);
    expect(accepts('^\\S+$', 'x😀y')).toBe(true);
    expect(accepts('^\\w+$', '😀')).toBe(false);
  });

  it('keeps what a pattern means with the u flag, and refuses one not valid with it', () => {
    expect(accepts('^\\p{L}+$', 'Ünïcödé')).toBe(true);
    expect(accepts('^\\p{L}+$', 'a1')).toBe(false);
    expect(accepts('^\\u{1F600}$', '😀')).toBe(true);
    expect(accepts('^(\\w)\\1$', 'aa')).toBe(true);
    expect(accepts('^(?=.*\\d)[a-z\\d]{3}$', 'ab1')).toBe(true);
    expect(accepts('^[a-z]+-[0-9]{2,3}$', 'abc-123')).toBe(true);
    expect(accepts('^[a-z]+-[0-9]{2,3}$', 'abc-1234')).toBe(false);
    const invalid = new ArgumentValidator().validate(withPattern('^\\-$'), { s: '-' });
    expect(invalid).toMatchObject({ ok: false, message: expect.stringContaining('declares an input schema Portcullis cannot use') });
  });

  it('stops a pattern the linear engine cannot run (\\p{…}, a back-reference, a look-ahead) at its time limit and refuses the arguments, where it held the process for seconds to minutes', () => {
    for (const [pattern, text] of [
      ['^(\\p{L}+)+$', `${'a'.repeat(33)}1`],
      ['^(a+)+\\1$', `${'a'.repeat(40)}!`],
      ['^(?=(a+)+$)', `${'a'.repeat(40)}!`],
    ] as const) {
      const started = performance.now();
      const result = new ArgumentValidator().validate(withPattern(pattern), { s: text });
      expect(performance.now() - started).toBeLessThan(PATTERN_TIME_LIMIT_MS * 8);
      expect(result).toMatchObject({ ok: false, message: expect.stringContaining(`took longer than ${PATTERN_TIME_LIMIT_MS} ms, so it was stopped`) });
      expect(result.ok || result.message).toMatch(/^srv\.match's input schema could not check these arguments/);
    }
    expect(accepts('^(\\p{L}+)+$', 'abc')).toBe(true);
    expect(accepts('^(a+)+\\1$', 'aaaa')).toBe(true);
  });
});

