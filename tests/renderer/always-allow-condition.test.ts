import { describe, expect, it } from 'vitest';
import { alwaysAllowCondition } from '../../src/renderer/features/approvals/approval-editing';

describe('alwaysAllowCondition: what an "Always allow" rule would let run, in words', () => {
  it('names the arguments a narrowed rule holds to', () => {
    expect(alwaysAllowCondition({ path: { glob: 'notes/*.md' } })).toBe('when path matches "notes/*.md"');
  });

  it('says an empty pattern lets every call run unasked (an MCP tool whose arguments are lists is proposed one)', () => {
    expect(alwaysAllowCondition({})).toBe('with any arguments: every call of it will run without asking you');
  });
});
