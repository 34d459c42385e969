import { describe, expect, it } from 'vitest';
import { alwaysAllowCondition } from '../../src/shared/domain/policy-words';

describe('alwaysAllowCondition: what an "Always allow" rule lets run, in words (the dialog and the Policies page)', () => {
  it('names the arguments a narrowed rule holds to', () => {
    expect(alwaysAllowCondition({ path: { glob: 'notes/*.md' } })).toBe('when path matches "notes/*.md"');
  });

  it('says an empty pattern lets every call run unasked (an MCP tool whose arguments are lists is proposed one)', () => {
    expect(alwaysAllowCondition({})).toBe('with any arguments: every call of it runs without asking you');
  });
});
