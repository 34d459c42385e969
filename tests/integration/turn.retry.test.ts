import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { dispatchRequest } from '../../src/core/api/dispatch';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { createRuntime } from '../../src/core/runtime/create-runtime';
import { createForkLauncher } from '../../src/core/sandbox/fork-launcher';
import { WorkerToolRunner } from '../../src/core/sandbox/worker-tool-runner';
import { chunk, startFakeOpenAiServer, type FakeOpenAiServer } from '../helpers/fake-openai-server';
import { builtToolWorker } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

/** A runtime driven by a local OpenAI-compatible server that answers as scripted and checks tool messages as OpenAI does. */
async function start(server: FakeOpenAiServer) {
  const launcher = createForkLauncher(builtToolWorker);
  const runtime = createRuntime({ version: 'test', dataDir: tempDir() }, { createToolRunner: (ws) => new WorkerToolRunner(launcher, ws), approvalGate: new FixedApprovalGate('all') });
  onTestFinished(() => runtime.dispose());
  await runtime.handlers['models.set']({ selection: { provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native' } });
  const { id } = await runtime.handlers['conversations.create']({});
  return { runtime, conversationId: id };
}

const unavailable = { status: 503, body: JSON.stringify({ error: { message: 'Loading model', type: 'unavailable_error' } }) };
type Sent = { role: string; content: string | null; tool_call_id?: string }[];

describe('retrying a turn that ended without an answer', () => {
  it('answers the same message again, once the model is back, without storing it twice', async () => {
    const server = await startFakeOpenAiServer();
    server.reply(unavailable);
    const { runtime, conversationId } = await start(server);
    const failed = await runtime.startTurn(conversationId, 'say hello').done;
    expect(failed.error).toMatchObject({ code: 'MODEL_UNAVAILABLE' });

    // A retry that fails too can be retried: it answers the same message, which it has not of its own.
    server.reply(unavailable, { sse: [chunk.text('Hello.'), chunk.finish('stop')] });
    expect(await runtime.retryTurn(conversationId).done).toMatchObject({ error: { code: 'MODEL_UNAVAILABLE' } });
    const retried = runtime.retryTurn(conversationId);
    expect(retried.turnId).not.toBe(failed.turnId);
    expect(await retried.done).toMatchObject({ error: null, reply: 'Hello.' });
    expect((server.requests[2]!.messages as Sent).map((m) => [m.role, m.content])).toEqual([['system', expect.any(String)], ['user', 'say hello']]);
    const messages = await runtime.handlers['messages.list']({ conversationId });
    expect(messages.map((m) => [m.role, m.content])).toEqual([['user', 'say hello'], ['assistant', 'Hello.']]);
    // The retry is its own trace, marked as one.
    const root = (await runtime.handlers['traces.spans']({ traceId: retried.traceId })).find((s) => s.parentSpanId === null)!;
    expect(root.attributes).toMatchObject({ 'portcullis.turn.retried': true });

    // Answered now: nothing to retry, and a clear error through the API.
    const again = await dispatchRequest(runtime.handlers, 'chat.retry', { conversationId });
    expect(again).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('nothing to retry') } });
  });

  it('goes on after the tool calls the failed turn made, without running them again', async () => {
    const server = await startFakeOpenAiServer();
    server.reply({ sse: [chunk.toolStart(0, 'call_1', 'fs__list'), chunk.toolArgs(0, '{"path":"."}'), chunk.finish('tool_calls')] }, unavailable);
    const { runtime, conversationId } = await start(server);
    writeFileSync(join(runtime.paths.workspace, 'a.txt'), 'a');
    const failed = await runtime.startTurn(conversationId, 'list the files').done;
    expect(failed).toMatchObject({ error: { code: 'MODEL_UNAVAILABLE' }, toolCalls: [{ toolName: 'fs.list', status: 'succeeded' }] });

    // The first retry lists again and fails too; the second retries a turn with no message of the person's own.
    server.reply({ sse: [chunk.toolStart(0, 'call_2', 'fs__list'), chunk.toolArgs(0, '{"path":"."}'), chunk.finish('tool_calls')] }, unavailable);
    expect(await runtime.retryTurn(conversationId).done).toMatchObject({ error: { code: 'MODEL_UNAVAILABLE' }, toolCalls: [{ status: 'succeeded' }] });
    server.reply({ sse: [chunk.text('You have a.txt.'), chunk.finish('stop')] });
    const retried = await runtime.retryTurn(conversationId).done;
    expect(retried).toMatchObject({ error: null, reply: 'You have a.txt.', toolCalls: [] });
    // The model saw the request, both calls and their results under the calls' ids; the server checks the pairing.
    const sent = server.requests[4]!.messages as Sent;
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
    expect(sent[3]).toMatchObject({ tool_call_id: 'call_1', content: expect.stringContaining('a.txt') });
    expect(sent[5]).toMatchObject({ tool_call_id: 'call_2' });
    // The tools were offered again (every tool: the route is enforced per call).
    expect((server.requests[4]!.tools as { function: { name: string } }[]).map((t) => t.function.name)).toEqual(expect.arrayContaining(['fs__list', 'fs__write']));
    const messages = await runtime.handlers['messages.list']({ conversationId });
    expect(messages.filter((m) => m.role === 'user')).toHaveLength(1);
  });

  it('refuses while a turn runs, and for a conversation that does not exist', async () => {
    const server = await startFakeOpenAiServer();
    server.reply({ hang: true });
    const { runtime, conversationId } = await start(server);
    const running = runtime.startTurn(conversationId, 'say hello');
    expect(await dispatchRequest(runtime.handlers, 'chat.retry', { conversationId })).toMatchObject({ ok: false, error: { code: 'TURN_IN_PROGRESS' } });
    await runtime.handlers['chat.stop']({ conversationId });
    expect((await running.done).error).toMatchObject({ code: 'TURN_STOPPED' });
    expect(await dispatchRequest(runtime.handlers, 'chat.retry', { conversationId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
