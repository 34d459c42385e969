import { describe, expect, it } from 'vitest';
import { toolParameters, typeInWords } from '../../src/core/tools/tool-parameters';

describe("a tool's arguments in words", () => {
  it('lists each property with its type, required ones first, in the schema order', () => {
    const schema = {
      type: 'object',
      properties: {
        limit: { type: 'integer', description: '  How many at most. ' },
        path: { type: 'string', description: 'The file to read.' },
        tags: { type: 'array', items: { type: 'string' } },
        mode: { enum: ['fast', 'careful'] },
      },
      required: ['path', 'mode'],
    };
    expect(toolParameters(schema)).toEqual([
      { name: 'path', type: 'string', required: true, description: 'The file to read.' },
      { name: 'mode', type: 'one of "fast", "careful"', required: true },
      { name: 'limit', type: 'integer', required: false, description: 'How many at most.' },
      { name: 'tags', type: 'list of strings', required: false },
    ]);
  });

  it('says what a type union, a nested list, a constant and a schema that says nothing are', () => {
    expect(typeInWords({ type: ['string', 'null'] })).toBe('string or null');
    expect(typeInWords({ anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'number' }] })).toBe('number or string');
    expect(typeInWords({ type: 'array', items: { type: 'array', items: { type: 'number' } } })).toBe('list of (list of numbers)');
    expect(typeInWords({ type: 'array' })).toBe('list');
    expect(typeInWords({ const: 'v1' })).toBe('"v1"');
    expect(typeInWords({})).toBe('any');
    expect(typeInWords({ enum: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] })).toBe('one of 1, 2, 3, 4, 5, 6, 7, 8, … (10 in all)');
  });

  it('reads a schema with no properties, or a malformed one, as no arguments', () => {
    expect(toolParameters({ type: 'object' })).toEqual([]);
    expect(toolParameters({ type: 'object', properties: ['x'], required: 'x' })).toEqual([]);
    expect(toolParameters({ type: 'object', properties: { x: 'not a schema' } })).toEqual([{ name: 'x', type: 'any', required: false }]);
  });
});
