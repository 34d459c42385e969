import { beforeEach, describe, expect, it, vi } from 'vitest';
import { outputSchemaValidator } from '../../src/core/mcp/output-schema-validator';
import type * as timeLimit from '../../src/core/tools/schema-check-time-limit';
import { withinSchemaTimeLimit } from '../../src/core/tools/schema-check-time-limit';
import { MOST_PARTS_MEASURED, valueCheckSize } from '../../src/core/tools/value-check-size';
import { schemaCheck } from '../helpers/schema-check';

vi.mock('../../src/core/tools/schema-check-time-limit', async (original) => {
  const actual = await original<typeof timeLimit>();
  return { ...actual, withinSchemaTimeLimit: vi.fn(actual.withinSchemaTimeLimit) };
});

const weather = { type: 'object', properties: { temperature: { type: 'number' }, city: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['temperature'] };
/** How many checks ran under the watchdog (the compile always does). */
const watchedChecks = () => vi.mocked(withinSchemaTimeLimit).mock.calls.filter(([, what]) => what === 'checking the answer against it').length;

describe("an output check's watchdog (~80 µs a check)", () => {
  beforeEach(() => {
    vi.mocked(withinSchemaTimeLimit).mockClear();
  });

  it('is not paid by an ordinary answer against an ordinary schema, which is still checked', () => {
    const validate = outputSchemaValidator().getValidator(weather);
    expect(schemaCheck(validate, { temperature: 21.5, city: 'Lyon', tags: ['sunny', 'mild'] })).toMatchObject({ valid: true });
    expect(schemaCheck(validate, { temperature: 'warm' })).toMatchObject({ valid: false, errorMessage: 'data/temperature must be number' });
    expect(watchedChecks()).toBe(0);
  });

  it('watches an answer of many parts, one of long strings, and any answer to a schema that does not bound its work', () => {
    const validate = outputSchemaValidator().getValidator(weather);
    expect(schemaCheck(validate, { temperature: 1, tags: Array.from({ length: MOST_PARTS_MEASURED }, () => 'x') })).toMatchObject({ valid: true });
    expect(schemaCheck(validate, { temperature: 1, city: 'x'.repeat(200_000) })).toMatchObject({ valid: true });
    expect(schemaCheck(outputSchemaValidator().getValidator({ type: 'array', uniqueItems: true }), [1, 2])).toMatchObject({ valid: true });
    expect(watchedChecks()).toBe(3);
  });
});

describe('valueCheckSize', () => {
  it('counts parts and characters, and stops at once past its bounds', () => {
    expect(valueCheckSize({ ab: 'cde', f: [1, null] }, 100)).toBe(1 + 2 + 1 + 3 + 1 + 1 + 1 + 1);
    expect(valueCheckSize('x'.repeat(100), 100)).toBe(Infinity);
    expect(valueCheckSize(Array.from({ length: MOST_PARTS_MEASURED }), Number.MAX_SAFE_INTEGER)).toBe(Infinity);
    // Nested deeper than a stack of calls could go.
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(valueCheckSize(deep, Number.MAX_SAFE_INTEGER)).toBe(Infinity);
  });
});
