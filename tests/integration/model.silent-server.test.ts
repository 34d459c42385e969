import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { describe, expect, it } from 'vitest';
import { AiSdkModel } from '../../src/core/model/ai-sdk-model';
import type { SilenceLimits } from '../../src/core/model/model-silence';
import { chunk, startFakeOpenAiServer, type FakeOpenAiServer } from '../helpers/fake-openai-server';
import { startTestRuntime } from '../helpers/test-runtime';

/** The fake server's model as the provider factory makes it, with silence limits a test can wait out. */
function silentModel(server: FakeOpenAiServer, silence: SilenceLimits) {
  const provider = createOpenAICompatible({ name: 'local', baseURL: server.baseUrl, includeUsage: true });
  return new AiSdkModel(`fake-model@${server.baseUrl}`, 'fake-model', () => provider.chatModel('fake-model'), { name: 'fake-model', silence });
}

describe('a model server that goes silent', () => {
  it('one that takes the request and sends nothing ends the turn, naming the server and how long it was silent', async () => {
    const server = await startFakeOpenAiServer();
    server.reply({ hang: true });
    const { runtime } = startTestRuntime({ model: silentModel(server, { firstOutputMs: 400, betweenOutputMs: 10_000 }) });
    const { id } = await runtime.handlers['conversations.create']({});
    const started = Date.now();
    const outcome = await runtime.startTurn(id, 'hi').done;
    expect(outcome.error).toEqual({
      code: 'MODEL_UNAVAILABLE',
      message: `The model fake-model@${server.baseUrl} took the request but sent nothing for 0.4 s, so the turn was ended. A local server may still be loading the model or reading a long prompt (its log says which), or it is stuck: check it, then Retry.`,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('one that stops in the middle of its reply ends the turn saying so, and Retry asks for the reply again', async () => {
    const server = await startFakeOpenAiServer();
    server.reply({ hang: true, first: chunk.text('Hel') });
    const { runtime } = startTestRuntime({ model: silentModel(server, { firstOutputMs: 10_000, betweenOutputMs: 300 }) });
    const { id } = await runtime.handlers['conversations.create']({});
    expect((await runtime.startTurn(id, 'hi').done).error).toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: `The model fake-model@${server.baseUrl} did not finish its reply: its server sent nothing more for 0.3 s, so the turn was ended. Check that the server is still running and not stuck, then Retry.`,
    });
    server.reply({ sse: [chunk.text('Hello!'), chunk.finish('stop')] });
    expect(await runtime.retryTurn(id).done).toMatchObject({ error: null, reply: 'Hello!' });
  });


  it('a first chunk with no words in it (OpenAI\'s reasoning models send one, then think unseen) leaves the server its time for a first word', async () => {
    const server = await startFakeOpenAiServer();
    const noWords = { id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'fake-model', choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] };
    server.reply({ hang: true, first: noWords });
    const { runtime } = startTestRuntime({ model: silentModel(server, { firstOutputMs: 600, betweenOutputMs: 100 }) });
    const { id } = await runtime.handlers['conversations.create']({});
    expect((await runtime.startTurn(id, 'hi').done).error).toMatchObject({ message: expect.stringContaining('took the request but sent nothing for 0.6 s') });
  });
});
