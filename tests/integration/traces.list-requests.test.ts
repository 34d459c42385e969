import { describe, expect, it } from 'vitest';
import { runAs } from '../../src/core/auth/request-principal';
import { StepScriptedModel as ScriptedModel } from '../helpers/step-scripted-model';
import { startTestRuntime } from '../helpers/test-runtime';

describe('the traces list and what each turn was asked', () => {
  it('gives each turn of a conversation the start of its request, secrets masked as stored, to a caller who may see content', async () => {
    const t = startTestRuntime({ model: new ScriptedModel([{ text: 'Compared.' }, { text: 'Written.' }, { text: 'Done.' }]) });
    const conversation = await t.runtime.handlers['conversations.create']({ title: 'Compare Q1 and Q2' });
    await t.runtime.startTurn(conversation.id, 'Compare sales_q1.csv and sales_q2.csv\n  using key sk-abcdefghijklmnopqrstuvwx').done;
    await t.runtime.startTurn(conversation.id, 'Write the report').done;
    await t.runtime.startTurn(conversation.id, `Now ${'much more '.repeat(40)}`).done;

    const listed = await t.runtime.handlers['traces.list']({});
    const requests = listed.map((trace) => trace.request);
    expect(requests[1]).toBe('Write the report');
    expect(requests[2]).toBe('Compare sales_q1.csv and sales_q2.csv using key [REDACTED:api-key]');
    expect(requests[0]).toHaveLength(160);
    expect(requests[0]).toMatch(/^Now much more much more .*…$/);

    // A key that may read traces but not their content is not given the person's words.
    const byKey = await runAs({ kind: 'api-key', id: 'k1', scopes: ['traces:read'] }, () => t.runtime.handlers['traces.list']({}));
    expect(byKey).toHaveLength(3);
    expect(byKey.every((trace) => trace.request === undefined)).toBe(true);
  });
});
