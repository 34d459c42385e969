import { describe, expect, it } from 'vitest';
import { anthropicModel } from '../../src/core/model/provider-factory';
import { startFakeAnthropicServer } from '../helpers/fake-anthropic-server';
import { startTestRuntime } from '../helpers/test-runtime';

const KEY = 'sk-ant-canary-3f9a1c7e';

/** Anthropic's Messages API, as a real HTTP server speaks it, behind the runtime's own turn. */
describe("an Anthropic model (its Messages API over real HTTP)", () => {
  async function start() {
    const api = await startFakeAnthropicServer();
    const t = startTestRuntime({ model: anthropicModel('claude-test', async () => KEY, api.baseUrl) });
    const { id } = await t.runtime.handlers['conversations.create']({});
    return { api, ...t, conversationId: id };
  }

  it('runs a turn: its tools under wire names, a built-in call and its result, the reply, the key sent as x-api-key only', async () => {
    const { api, runtime, conversationId } = await start();
    api.reply({ toolUse: { id: 'toolu_list', name: 'fs__list', input: { path: '.' } } }, { text: 'Your workspace is empty.' });

    const outcome = await runtime.startTurn(conversationId, 'what is in my workspace?').done;
    expect(outcome).toMatchObject({ error: null, reply: 'Your workspace is empty.' });
    expect(outcome.toolCalls).toMatchObject([{ toolName: 'fs.list', status: 'succeeded' }]);
    expect(api.apiKeys).toEqual([KEY, KEY]);
    const [user, asked, answered] = api.requests[1]!.messages;
    expect(user).toMatchObject({ role: 'user', content: [{ type: 'text', text: 'what is in my workspace?' }] });
    expect(asked).toMatchObject({ role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_list', name: 'fs__list', input: { path: '.' } }] });
    expect(answered).toMatchObject({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_list' }] });
    const spans = await runtime.handlers['traces.spans']({ traceId: outcome.traceId });
    expect(JSON.stringify(spans)).not.toContain(KEY);
  });

  it('says a refused key is the problem, without the key', async () => {
    const { api, runtime, conversationId } = await start();
    api.reply({ status: 401, error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    const outcome = await runtime.startTurn(conversationId, 'hello').done;
    expect(outcome.error).toMatchObject({ code: 'MODEL_UNAVAILABLE', message: expect.stringMatching(/refused the request as unauthorized \(HTTP 401\): invalid x-api-key\. For a hosted model, check its API key in Settings → Model/) });
    expect(outcome.error!.message).not.toContain(KEY);
  });

  it("says when the turn outgrew the model's context, and what to do", async () => {
    const { api, runtime, conversationId } = await start();
    api.reply({ status: 400, error: { type: 'invalid_request_error', message: 'prompt is too long: 214315 tokens > 200000 maximum' } });
    const outcome = await runtime.startTurn(conversationId, 'hello').done;
    expect(outcome.error).toMatchObject({ code: 'MODEL_CONTEXT_EXCEEDED', message: expect.stringContaining('Ask for less at once') });
  });
});
