import { describe, expect, it, vi } from 'vitest';
import { ArgumentValidator } from '../../src/core/tools/argument-validator';
import type * as shapes from '../../src/core/tools/arguments-shape';
import { argumentsShape } from '../../src/core/tools/arguments-shape';
import type { ToolDefinition } from '../../src/core/tools/tool-definition';

vi.mock('../../src/core/tools/arguments-shape', async (original) => {
  const actual = await original<typeof shapes>();
  return { argumentsShape: vi.fn(actual.argumentsShape) };
});

const tool = {
  name: 'fs.read',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
} as unknown as ToolDefinition;

describe('argument validation: the shape a refusal names', () => {
  it('is worked out only when a call is refused, not on every call (it was ~4 µs of each tool call)', () => {
    const validator = new ArgumentValidator();
    expect(validator.validate(tool, { path: 'a.md' })).toEqual({ ok: true, value: { path: 'a.md' } });
    expect(argumentsShape).not.toHaveBeenCalled();
    const refused = validator.validate(tool, { file: 'a.md' });
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('It takes {"path": string}.') });
    expect(validator.validate(tool, 'a.md')).toMatchObject({ ok: false, message: expect.stringContaining('as one JSON object: {"path": string}.') });
    expect(validator.validate(tool, [1])).toMatchObject({ ok: false, message: expect.stringContaining('must be a JSON object: {"path": string}.') });
  });
});
