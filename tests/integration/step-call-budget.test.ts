import { describe, expect, it } from 'vitest';
import type { AiSdkModel } from '../../src/core/model/ai-sdk-model';
import { createModelProvider } from '../../src/core/model/provider-factory';
import { chunk, startFakeOpenAiServer, type FakeOpenAiServer } from '../helpers/fake-openai-server';
import { startTestRuntime } from '../helpers/test-runtime';

function provider(server: FakeOpenAiServer, toolMode: 'native' | 'prompted' = 'native') {
  return createModelProvider({ provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'fake-model', toolMode }, undefined) as AiSdkModel;
}

/** 20 calls of fs.list in one step: 18 folders, the first two asked for twice. */
const paths = [...Array.from({ length: 18 }, (_, i) => `dir${i}`), 'dir0', 'dir1'];

describe('more tool calls in one step than the turn allows', () => {
  it('native: the calls that fit run (a repeat once), and the model answers from their results, told the rest did not run and why', async () => {
    const server = await startFakeOpenAiServer();
    server.reply(
      { sse: [...paths.flatMap((path, i) => [chunk.toolStart(i, `call_${i}`, 'fs__list'), chunk.toolArgs(i, JSON.stringify({ path }))]), chunk.finish('tool_calls')] },
      { sse: [chunk.text('Sixteen of the folders are missing; two were not looked at.'), chunk.finish('stop')] },
    );
    const { runtime } = startTestRuntime({ model: provider(server) });
    const { id } = await runtime.handlers['conversations.create']({});
    const outcome = await runtime.startTurn(id, 'list 18 folders').done;
    expect(outcome).toMatchObject({ error: null, reply: 'Sixteen of the folders are missing; two were not looked at.' });
    expect(outcome.toolCalls.map((call) => (call.arguments as { path: string }).path)).toEqual(paths.slice(0, 16));

    const sent = server.requests[1]!.messages as { role: string; content: unknown; tool_calls?: unknown[] }[];
    expect(sent.filter((message) => message.role === 'tool')).toHaveLength(16);
    expect(sent.find((message) => message.role === 'assistant')!.tool_calls).toHaveLength(16);
    expect(sent.at(-1)).toMatchObject({ role: 'user' });
    expect(JSON.stringify(sent.at(-1)!.content)).toMatch(
      /you asked for 20 tool call\(s\) in your last step \(2 of them repeated a call already asked for, which ran once\), but the turn's budget is 16 tool calls, so only 16 of them could run\. Not run: fs\.list \{\\"path\\":\\"dir16\\"\}; fs\.list \{\\"path\\":\\"dir17\\"\}\./,
    );
    const spans = await runtime.handlers['traces.spans']({ traceId: outcome.traceId });
    expect(spans.find((span) => span.parentSpanId === null)!.attributes).toMatchObject({ 'portcullis.turn.calls_not_run': 2, 'portcullis.turn.repeated_calls': 2 });
  });

  it('prompted: the note goes with the results, so the roles still alternate', async () => {
    const server = await startFakeOpenAiServer();
    server.reply(
      { sse: [chunk.text(JSON.stringify({ tool_calls: paths.map((path) => ({ name: 'fs.list', arguments: { path } })) })), chunk.finish('stop')] },
      { sse: [chunk.text('{"reply": "Done with what ran."}'), chunk.finish('stop')] },
    );
    const { runtime } = startTestRuntime({ model: provider(server, 'prompted') });
    const { id } = await runtime.handlers['conversations.create']({});
    expect(await runtime.startTurn(id, 'list 18 folders').done).toMatchObject({ error: null, reply: 'Done with what ran.' });
    const sent = server.requests[1]!.messages as { role: string; content: string }[];
    expect(sent.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(sent.at(-1)!.content).toMatch(/^\[The results of the tool calls above[\s\S]*\[error from fs\.list\][\s\S]*\n\[From Portcullis, not the person: you asked for 20 tool call/);
  });

  it('the step budget spent on calls: the model answers from the last step\'s results, told no more calls can run', async () => {
    const server = await startFakeOpenAiServer();
    // Eight steps (the default budget), each listing a folder; then the answer step.
    const steps = Array.from({ length: 8 }, (_, i) => ({ sse: [chunk.toolStart(0, `call_${i}`, 'fs__list'), chunk.toolArgs(0, JSON.stringify({ path: `dir${i}` })), chunk.finish('tool_calls')] }));
    server.reply(...steps, { sse: [chunk.text('None of the eight folders exists.'), chunk.finish('stop')] });
    const { runtime } = startTestRuntime({ model: provider(server) });
    const { id } = await runtime.handlers['conversations.create']({});
    const outcome = await runtime.startTurn(id, 'look in eight folders, one at a time').done;
    expect(outcome).toMatchObject({ error: null, reply: 'None of the eight folders exists.' });
    expect(outcome.toolCalls).toHaveLength(8);
    const sent = server.requests[8]!.messages as { role: string; content: unknown }[];
    expect(sent.filter((message) => message.role === 'tool')).toHaveLength(8);
    expect(JSON.stringify(sent.at(-1))).toContain('this turn has taken all 8 steps its budget allows, so no more tool calls can run in it. Answer now from the results you have');
    const stored = await runtime.handlers['messages.list']({ conversationId: id });
    expect(stored.at(-1)).toMatchObject({ role: 'assistant', content: 'None of the eight folders exists.' });
  });

  it('the step budget spent, and the answer step asks for calls again: the turn ends as the step budget ends it, no call stored as the answer', async () => {
    const server = await startFakeOpenAiServer();
    const call = (i: number) => ({ sse: [chunk.text(`Looking in dir${i}.`), chunk.toolStart(0, `call_${i}`, 'fs__list'), chunk.toolArgs(0, JSON.stringify({ path: `dir${i}` })), chunk.finish('tool_calls')] });
    server.reply(...Array.from({ length: 9 }, (_, i) => call(i)));
    const { runtime } = startTestRuntime({ model: provider(server) });
    const { id } = await runtime.handlers['conversations.create']({});
    const outcome = await runtime.startTurn(id, 'look in nine folders').done;
    expect(outcome.error).toMatchObject({ code: 'BUDGET_EXCEEDED', message: expect.stringContaining('The turn ended after 8 steps without a final answer') });
    expect(outcome.toolCalls).toHaveLength(8);
    const stored = await runtime.handlers['messages.list']({ conversationId: id });
    // Its words before asking again are kept as cut short (Retry stays offered), not as an answer.
    expect(stored.at(-1)).toMatchObject({ role: 'assistant', content: 'Looking in dir8.', cutShort: true });
  });
});
