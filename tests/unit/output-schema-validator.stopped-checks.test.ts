import { describe, expect, it, vi } from 'vitest';
import { outputSchemaValidator } from '../../src/core/mcp/output-schema-validator';
import { LEAST_CHECK_TIME_MS, SLOW_SCHEMA_RUN_MS } from '../../src/core/tools/server-check-time';
import { PATTERN_TIME_BUDGET_MS } from '../../src/core/tools/linear-time-pattern';
import { SCHEMA_CHECK_TIME_LIMIT_MS } from '../../src/core/tools/schema-check-time-limit';
import { ArgumentValidator } from '../../src/core/tools/argument-validator';
import type { ToolDefinition } from '../../src/core/tools/tool-definition';
import { schemaCheck } from '../helpers/schema-check';
import { doubling, inlinedOften, lettersTaking, nextRun } from '../helpers/slow-schemas';

/** The times each stopped check is given: halved from the limit at each stop, never under the least. */
function halvings(count: number, from: number): number[] {
  const times: number[] = [];
  for (let time = from; times.length < count; time = Math.max(LEAST_CHECK_TIME_MS, Math.floor(time / 2))) times.push(time);
  return times;
}

/** A first check's words: the whole limit, or half of it where its compile took 250 ms on a very busy machine. */
const wholeLimit = new RegExp(`took longer than (${SCHEMA_CHECK_TIME_LIMIT_MS} ms, so|${SCHEMA_CHECK_TIME_LIMIT_MS / 2} ms \\(its server's schemas took ${SLOW_SCHEMA_RUN_MS} ms or more once)`);

const slack = 1_500;

describe("a server whose every answer's check is stopped at the limit", () => {
  it('holds the process less at each stop (6 calls: ~4 s in all, where each held it 2 s), and says why', async () => {
    const server = outputSchemaValidator();
    const evil = server.getValidator(doubling(60));
    const errors: string[] = [];
    const started = performance.now();
    for (let i = 0; i < 6; i++) {
      errors.push(schemaCheck(evil, { a: 'x' }).error ?? '');
      await nextRun();
    }
    const took = performance.now() - started;
    const given = halvings(6, SCHEMA_CHECK_TIME_LIMIT_MS);
    expect(took).toBeLessThan(given.reduce((a, b) => a + b) + slack);
    expect(errors[0]).toMatch(wholeLimit);
    expect(errors[1]).toMatch(new RegExp(`took longer than \\d+ ms \\(its server's schemas took ${SLOW_SCHEMA_RUN_MS} ms or more (once|\\d times) before: each time halves the time the next compile or check gets, down to ${LEAST_CHECK_TIME_MS} ms, until the server restarts\\), so it was stopped`));
    // Another of its tools' schema that compiles slowly is stopped at the time now left, not at the whole limit.
    const compiling = performance.now();
    expect(schemaCheck(server.getValidator(inlinedOften()), { a: 'x' }).error).toContain('its output schema cannot be used (compiling its output schema took longer than');
    expect(performance.now() - compiling).toBeLessThan(LEAST_CHECK_TIME_MS + 500);
    // Its other tools' ordinary answers are still checked; a restarted server (a new client) starts with the whole limit.
    const honest = server.getValidator({ type: 'object', properties: { n: { type: 'number' } } });
    expect(schemaCheck(honest, { n: 1 })).toMatchObject({ valid: true });
    expect(schemaCheck(honest, { n: 'one' })).toMatchObject({ valid: false });
    const restarted = performance.now();
    expect(schemaCheck(outputSchemaValidator().getValidator(doubling(60)), { a: 'x' }).error).toMatch(wholeLimit);
    expect(performance.now() - restarted).toBeGreaterThan(SCHEMA_CHECK_TIME_LIMIT_MS / 2 - 100);
  }, 60_000);

  it('counts a check its patterns stopped: its small answers of slow strings each held the process a second', async () => {
    const server = outputSchemaValidator();
    const letters = server.getValidator({ type: 'array', items: { type: 'string', pattern: '^(\\p{L}+)+$' } });
    // Each test under the pattern's own limit, 80 of them past the budget of one check.
    const n = await lettersTaking(outputSchemaValidator().getValidator({ type: 'array', items: { type: 'string', pattern: '^(\\p{L}+)+$' } }), 100);
    const slow = Array.from({ length: 80 }, () => `${'a'.repeat(n)}!`);
    await nextRun();
    const started = performance.now();
    for (let i = 0; i < 8; i++) {
      expect(schemaCheck(letters, slow).valid).toBe(false);
      await nextRun();
    }
    const took = performance.now() - started;
    const given = [PATTERN_TIME_BUDGET_MS, ...halvings(7, SCHEMA_CHECK_TIME_LIMIT_MS / 2)];
    expect(took).toBeLessThan(given.reduce((a, b) => a + b) + slack);
    expect(schemaCheck(letters, ['Ünïcödé', 'abc'])).toMatchObject({ valid: true });
  }, 60_000);

  it('counts a slow check that passed too: answers made to take just under the limit are not let through for ever', () => {
    const server = outputSchemaValidator();
    const plain = server.getValidator({ type: 'object' });
    expect(schemaCheck(plain, {})).toMatchObject({ valid: true });
    // The next check takes 250 ms by the clock, as an answer made to take just under the limit does, and passes.
    let now = performance.now();
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (now += SLOW_SCHEMA_RUN_MS));
    try {
      expect(schemaCheck(plain, {})).toMatchObject({ valid: true });
    } finally {
      clock.mockRestore();
    }
    // (Its compile may take 250 ms too on a very busy machine, and count once more.)
    expect(schemaCheck(server.getValidator(doubling(60)), { a: 'x' }).error).toMatch(/took longer than (1000 ms \(its server's schemas took 250 ms or more once|500 ms \(its server's schemas took 250 ms or more 2 times) before/);
  }, 60_000);

  it("holds the model's repeated calls of a tool whose input schema's every check is stopped less each time", async () => {
    const validator = new ArgumentValidator();
    const tool = { name: 'evil.tool', server: 'evil', description: '', inputSchema: doubling(60) } as unknown as ToolDefinition;
    const messages: string[] = [];
    const started = performance.now();
    for (let i = 0; i < 4; i++) {
      const result = validator.validate(tool, { a: 'x' });
      messages.push(result.ok ? '' : result.message);
      await nextRun();
    }
    expect(performance.now() - started).toBeLessThan(halvings(4, SCHEMA_CHECK_TIME_LIMIT_MS).reduce((a, b) => a + b) + slack);
    expect(messages[3]).toMatch(/^evil\.tool's input schema could not check these arguments \(checking them against it took longer than \d+ ms \(its server's schemas took 250 ms or more \d times before: each time halves the time the next compile or check gets, down to 100 ms, until Portcullis restarts\), so it was stopped\), so it did not run\.$/);
  }, 60_000);
});
