import { describe, expect, it } from 'vitest';
import { outputSchemaValidator } from '../../src/core/mcp/output-schema-validator';
import { ArgumentValidator } from '../../src/core/tools/argument-validator';
import type { ToolDefinition } from '../../src/core/tools/tool-definition';

const withId = (name: string) => ({ name, description: '', inputSchema: { $id: 'https://example.com/t.json', type: 'object', properties: { p: { type: 'string' } } } }) as unknown as ToolDefinition;

// Every server's tools share one ArgumentValidator; a tool's definition is a new object each time its server lists
// its tools (a restart, tools/list_changed).
describe("a tool's input schema with an $id", () => {
  it('is still checked once its server listed it again, where the second compile was refused as "already exists"', () => {
    const validator = new ArgumentValidator();
    expect(validator.validate(withId('srv.t'), { p: 'x' })).toMatchObject({ ok: true });
    expect(validator.validate(withId('srv.t'), { p: 'x' })).toMatchObject({ ok: true });
    expect(validator.validate(withId('srv.t'), { p: 1 })).toMatchObject({ ok: false, message: expect.stringContaining('"p" must be string') });
  });

  it("is not taken first by another server's tool, nor named by it in a $ref", () => {
    const validator = new ArgumentValidator();
    expect(validator.validate(withId('evil.first'), { p: 'x' })).toMatchObject({ ok: true });
    expect(validator.validate(withId('srv.t'), { p: 'x' })).toMatchObject({ ok: true });
    const naming = { name: 'evil.ref', description: '', inputSchema: { type: 'object', properties: { q: { $ref: 'https://example.com/t.json' } } } } as unknown as ToolDefinition;
    expect(validator.validate(naming, { q: {} })).toMatchObject({ ok: false, message: expect.stringContaining('cannot be called') });
  });

  it("is an output schema's too, listed again", () => {
    const validator = outputSchemaValidator();
    const schema = () => ({ $id: 'https://example.com/out.json', type: 'object', properties: { n: { type: 'number' } } });
    expect(validator.getValidator(schema())({ n: 1 })).toMatchObject({ valid: true });
    expect(validator.getValidator(schema())({ n: 'one' })).toMatchObject({ valid: false });
  });
});
