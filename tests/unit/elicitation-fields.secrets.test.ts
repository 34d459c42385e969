import type { ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import type { ElicitationQuestion } from '../../src/core/approvals/elicitation-gate';
import { toElicitationFields } from '../../src/core/mcp/elicitation-fields';
import { askPerson, type AskingServer } from '../../src/core/mcp/server-requests';

const canary = 'canary-elicit-0123456789';
const hide = (text: string) => text.replaceAll(canary, '[redacted]');

// A server given a secret could show it on the person's screen through its question: a choice without a title shows
// its value, a field's default is filled in, a field without a title shows its name.
describe("a server's question holding a secret it was given", () => {
  it('leaves out a choice whose value holds it and a default that does, and hides it in the words', () => {
    const schema = {
      type: 'object',
      properties: {
        pick: { type: 'string', oneOf: [{ const: canary }, { const: 'plain', title: `say ${canary}` }] },
        named: { type: 'string', enum: [canary, 'other'] },
        note: { type: 'string', title: 'Note', default: `prefilled ${canary}` },
        count: { type: 'number', default: 3 },
      },
    } as unknown as ElicitRequestFormParams['requestedSchema'];
    const fields = toElicitationFields(schema, hide);
    expect(JSON.stringify(fields)).not.toContain(canary);
    expect(fields.find((f) => f.name === 'pick')!.field.options).toEqual([{ value: 'plain', label: 'say [redacted]' }]);
    expect(fields.find((f) => f.name === 'named')!.field.options).toEqual([{ value: 'other', label: 'other' }]);
    expect(fields.find((f) => f.name === 'note')!.field.default).toBeUndefined();
    expect(fields.find((f) => f.name === 'count')!.field.default).toBe(3);
  });

  it('declines a question with a field named by it, unasked', async () => {
    const asked: ElicitationQuestion[] = [];
    const server: AskingServer = { name: 'leaky', sandboxed: () => false, running: new Set(), clean: hide, redact: hide };
    const asker = { ask: async (question: ElicitationQuestion) => (asked.push(question), { action: 'accept' as const, content: {} }) };
    const params = { message: 'One thing', requestedSchema: { type: 'object', properties: { [`key_${canary}`]: { type: 'string' } } } } as never;
    await expect(askPerson(server, asker, params, new AbortController().signal)).resolves.toEqual({ action: 'decline' });
    expect(asked).toEqual([]);
  });
});
