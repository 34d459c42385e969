import { describe, expect, it } from 'vitest';
import { outputSchemaValidator } from '../../src/core/mcp/output-schema-validator';
import { ArgumentValidator } from '../../src/core/tools/argument-validator';
import { SCHEMA_CHECK_TIME_LIMIT_MS } from '../../src/core/tools/schema-check-time-limit';
import { schemaCheckSize } from '../../src/core/tools/schema-check-size';
import type { ToolDefinition } from '../../src/core/tools/tool-definition';
import { schemaCheck } from '../helpers/schema-check';
import { doubling, inlinedOften } from '../helpers/slow-schemas';

function timed<T>(run: () => T): { result: T; took: number } {
  const started = performance.now();
  const result = run();
  return { result, took: performance.now() - started };
}

const tool = (inputSchema: Record<string, unknown>) => ({ name: 'evil.tool', description: '', inputSchema }) as unknown as ToolDefinition;
const bound = SCHEMA_CHECK_TIME_LIMIT_MS + 1_500;
// Far below a compile stopped at its limit (the next one gets half of it, 1 s), far above a loaded machine's pauses.
const notCompiled = SCHEMA_CHECK_TIME_LIMIT_MS / 4;

describe("a server's schema that makes its check or its compile run without end", () => {
  it("stops an output check whose $defs name each other twice over (60 deep: 2^60 steps), saying so", () => {
    const validate = outputSchemaValidator().getValidator(doubling(60));
    const { result, took } = timed(() => schemaCheck(validate, { a: 'x' }));
    expect(result).toMatchObject({ valid: false, error: expect.stringContaining(`took longer than ${SCHEMA_CHECK_TIME_LIMIT_MS} ms`) });
    expect(took).toBeLessThan(bound);
  }, 30_000);

  it("does not compile output schemas as the tools are listed, and stops one whose compile runs long", () => {
    const validator = outputSchemaValidator();
    const listed = timed(() => validator.getValidator(inlinedOften()));
    expect(listed.took).toBeLessThan(notCompiled);
    const { result, took } = timed(() => schemaCheck(listed.result, { a: 'x' }));
    expect(result).toMatchObject({ valid: false, error: expect.stringContaining('its output schema cannot be used (compiling its output schema took longer than') });
    expect(took).toBeLessThan(bound);
    // Refused again at once, not compiled again.
    expect(timed(() => schemaCheck(listed.result, { a: 'x' })).took).toBeLessThan(notCompiled);
  }, 30_000);

  it("still checks an answer as before", () => {
    const validate = outputSchemaValidator().getValidator({ type: 'object', properties: { n: { type: 'number' } }, required: ['n'] });
    expect(schemaCheck(validate, { n: 1 })).toMatchObject({ valid: true });
    expect(schemaCheck(validate, { n: 'one' })).toMatchObject({ valid: false, errorMessage: 'data/n must be number' });
  });

  it("refuses a call whose input schema's $defs name each other twice over, in bounded time", () => {
    const validator = new ArgumentValidator();
    const { result, took } = timed(() => validator.validate(tool(doubling(60)), { a: 'x' }));
    expect(result).toEqual({ ok: false, message: `evil.tool's input schema could not check these arguments (checking them against it took longer than ${SCHEMA_CHECK_TIME_LIMIT_MS} ms, so it was stopped), so it did not run.` });
    expect(took).toBeLessThan(bound);
  }, 30_000);

  it("refuses a tool whose input schema takes too long to compile, once", () => {
    const validator = new ArgumentValidator();
    const evil = tool(inlinedOften());
    const { result, took } = timed(() => validator.validate(evil, { a: 'x' }));
    expect(result).toEqual({ ok: false, message: `evil.tool declares an input schema Portcullis cannot use (compiling it took longer than ${SCHEMA_CHECK_TIME_LIMIT_MS} ms, so it was stopped), so it cannot be called.` });
    expect(took).toBeLessThan(bound);
    expect(timed(() => validator.validate(evil, { a: 'x' })).took).toBeLessThan(notCompiled);
  }, 30_000);

  it("stops an input check of uniqueItems over many distinct objects (each compared with each)", () => {
    const validator = new ArgumentValidator();
    const items = Array.from({ length: 200_000 }, (_, i) => ({ i }));
    const { result, took } = timed(() => validator.validate(tool({ type: 'object', properties: { a: { type: 'array', uniqueItems: true } } }), { a: items }));
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('took longer than') });
    expect(took).toBeLessThan(bound + 1_000);
  }, 30_000);
});

describe('schemaCheckSize', () => {
  it('counts a $def each time it is named, and a cycle, an unknown $ref, a nested $id or uniqueItems as unbounded', () => {
    expect(schemaCheckSize({ type: 'string' })).toBe(2);
    expect(schemaCheckSize(doubling(40))).toBeGreaterThan(2 ** 40);
    expect(schemaCheckSize({ properties: { next: { $ref: '#' } } })).toBe(Infinity);
    expect(schemaCheckSize({ $ref: 'https://example.com/s.json' })).toBe(Infinity);
    expect(schemaCheckSize({ $ref: '#/$defs/missing' })).toBe(Infinity);
    expect(schemaCheckSize({ properties: { a: { $id: 'other', $ref: '#/$defs/x', $defs: { x: {} } } } })).toBe(Infinity);
    expect(schemaCheckSize({ type: 'array', uniqueItems: true })).toBe(Infinity);
    expect(schemaCheckSize({ $defs: { 'a/b': { type: 'string' } }, $ref: '#/$defs/a~1b' })).toBe(6);
  });
});
