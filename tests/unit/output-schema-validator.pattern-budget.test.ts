import { describe, expect, it } from 'vitest';
import { outputSchemaValidator } from '../../src/core/mcp/output-schema-validator';
import { PATTERN_TIME_BUDGET_MS, PATTERN_TIME_LIMIT_MS } from '../../src/core/tools/linear-time-pattern';
import { schemaCheck } from '../helpers/schema-check';
import { lettersTaking, nextRun } from '../helpers/slow-schemas';

const letters = { type: 'array', items: { type: 'string', pattern: '^(\\p{L}+)+$' } };

describe("an output schema's patterns, all of one check together", () => {
  it('stop a check whose many slow tests, each under the limit, add up past the budget (80 of 60 ms: 4.8 s)', async () => {
    // ^(\p{L}+)+$ needs the u flag, so it runs under the time limit.
    const validate = outputSchemaValidator().getValidator(letters);
    const n = await lettersTaking(validate, 60);
    await nextRun();
    const started = performance.now();
    const result = schemaCheck(validate, Array.from({ length: 80 }, () => `${'a'.repeat(n)}!`));
    const took = performance.now() - started;
    expect(result.valid).toBe(false);
    expect(took).toBeLessThan(PATTERN_TIME_BUDGET_MS + PATTERN_TIME_LIMIT_MS + 500);
  }, 60_000);

  it('count the tests the linear engine runs too: each backtracks 50,000 times before it changes engines', async () => {
    const validate = outputSchemaValidator().getValidator({ type: 'array', items: { type: 'string', pattern: '^(a+)+$' } });
    await nextRun();
    const started = performance.now();
    const result = schemaCheck(validate, Array.from({ length: 60_000 }, () => `${'a'.repeat(30)}!`));
    const took = performance.now() - started;
    expect(result).toMatchObject({ valid: false, error: expect.stringContaining('in all') });
    expect(took).toBeLessThan(PATTERN_TIME_BUDGET_MS + 1_000);
  }, 60_000);

  it('gives the next check its whole budget again', async () => {
    const validate = outputSchemaValidator().getValidator(letters);
    schemaCheck(validate, Array.from({ length: 80 }, () => `${'a'.repeat(30)}!`));
    await nextRun();
    expect(schemaCheck(validate, ['Ünïcödé', 'abc'])).toMatchObject({ valid: true });
  }, 60_000);
});
