import { describe, expect, it } from 'vitest';
import { ScriptedModel } from '../helpers/scripted-model';
import { startTestRuntime } from '../helpers/test-runtime';

describe("a model's tool call with arguments nested thousands deep", () => {
  it('is refused as a call whose arguments are not an object, and the turn goes on, where the turn ended INTERNAL', async () => {
    const deep: unknown = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    const model = new ScriptedModel([{ calls: [{ name: 'fs.list', arguments: { path: '.', x: deep } }] }, { text: 'I will not do that again.' }]);
    const { runtime } = startTestRuntime({ model });
    const { id } = await runtime.handlers['conversations.create']({});
    const outcome = await runtime.startTurn(id, 'list the files').done;
    expect(outcome.error).toBeNull();
    expect(outcome.reply).toBe('I will not do that again.');
    expect(outcome.toolCalls).toMatchObject([
      { toolName: 'fs.list', status: 'failed', error: { code: 'TOOL_ARGUMENTS_INVALID', message: expect.stringContaining('[arguments nested more than 128 levels deep, not kept]') } },
    ]);
    // The model was told, in its next step.
    expect(JSON.stringify(model.requests[1]?.messages)).toContain('nested more than 128 levels deep');
  });
});
