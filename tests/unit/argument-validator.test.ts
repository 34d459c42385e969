import { describe, expect, it } from 'vitest';
import { ArgumentValidator } from '../../src/core/tools/argument-validator';
import type { ToolDefinition } from '../../src/core/tools/tool-definition';

const tool = {
  name: 'notes.add',
  description: 'adds a note',
  inputSchema: {
    type: 'object',
    properties: { text: { type: 'string' }, tags: { type: 'array', items: { type: 'string' }, default: [] } },
    required: ['text'],
    additionalProperties: false,
  },
} as unknown as ToolDefinition;

describe('ArgumentValidator', () => {
  it("fills the schema's defaults into a copy, leaving the caller's arguments as they were", () => {
    const args = { text: 'hello' };
    expect(new ArgumentValidator().validate(tool, args)).toEqual({ ok: true, value: { text: 'hello', tags: [] } });
    expect(args).toEqual({ text: 'hello' });
  });

  it('names every problem with the arguments', () => {
    const result = new ArgumentValidator().validate(tool, { tags: [1], colour: 'red' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('must have required property \'text\'');
    expect(result.message).toContain('unknown property "colour"');
    expect(result.message).toContain('"tags/0" must be string');
  });

  it('refuses arguments that are not a JSON object, or not JSON at all, with a clear message instead of throwing', () => {
    const validator = new ArgumentValidator();
    expect(validator.validate(tool, [1])).toEqual({ ok: false, message: 'The arguments of notes.add must be a JSON object: {"text": string, "tags"?: array}.' });
    const cyclic: Record<string, unknown> = { text: 'a' };
    cyclic.self = cyclic;
    expect(validator.validate(tool, cyclic)).toEqual({ ok: false, message: 'The arguments of notes.add must be plain JSON (no cycles, no BigInt).' });
    expect(validator.validate(tool, { text: 'a', n: 1n })).toMatchObject({ ok: false });
  });

  it('tells a model that sent a bare string, or broke the schema, the shape the tool takes, so it can correct its call', () => {
    const validator = new ArgumentValidator();
    expect(validator.validate(tool, 'hello')).toEqual({
      ok: false,
      message: 'The arguments of notes.add are not a JSON object ("hello"), so it did not run. Send them again as one JSON object: {"text": string, "tags"?: array}.',
    });
    expect(validator.validate(tool, {})).toEqual({
      ok: false,
      message: 'Invalid arguments for notes.add: the arguments must have required property \'text\', so it did not run. It takes {"text": string, "tags"?: array}.',
    });
    const wide = { ...tool, inputSchema: { type: 'object', properties: Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'mode'].map((name) => [name, name === 'mode' ? { enum: ['fast', 'slow'] } : { type: ['string', 'null'] }])), required: ['mode'] } } as unknown as ToolDefinition;
    expect(validator.validate(wide, [])).toMatchObject({ message: 'The arguments of notes.add must be a JSON object: {"mode": "fast" | "slow", "a"?: string | null, "b"?: string | null, "c"?: string | null, "d"?: string | null, "e"?: string | null, "f"?: string | null, "g"?: string | null, …}.' });
    const none = { ...tool, inputSchema: { type: 'object' } } as unknown as ToolDefinition;
    expect(validator.validate(none, 'x')).toMatchObject({ message: 'The arguments of notes.add are not a JSON object ("x"), so it did not run. Send them again as one JSON object.' });
  });
});
