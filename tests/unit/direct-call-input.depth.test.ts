import { describe, expect, it } from 'vitest';
import { DirectCallInputSchema, MAX_ARGUMENT_DEPTH } from '../../src/shared/domain/direct-call';
import { nestsDeeperThan } from '../../src/shared/json-depth';

const nested = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('a direct call whose arguments nest thousands deep', () => {
  it('is refused as the caller\'s mistake, where it overflowed the stack and answered INTERNAL', () => {
    const parsed = DirectCallInputSchema.safeParse({ name: 'fs.list', arguments: { path: '.', x: nested(10_000) } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['arguments'], message: `must not nest objects and arrays more than ${MAX_ARGUMENT_DEPTH} levels deep` });
  });

  it('takes arguments nested as deep as real ones are', () => {
    expect(DirectCallInputSchema.safeParse({ name: 'fs.list', arguments: { path: '.', x: nested(40) } }).success).toBe(true);
  });
});

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, not scalars, without recursion', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({ a: { b: 1 } }, 2)).toBe(false);
    expect(nestsDeeperThan({ a: { b: {} } }, 2)).toBe(true);
    expect(nestsDeeperThan(nested(1_000_000), 128)).toBe(true);
  });
});
