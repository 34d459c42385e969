import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/message';
import type { SpanRecord } from '../../src/shared/domain/span';
import type { TraceSummary } from '../../src/shared/domain/trace';
import { chunk, startFakeOpenAiServer } from '../helpers/fake-openai-server';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

/**
 * A host killed while a tool call waits for the person, against a local OpenAI-compatible server that checks tool
 * messages as OpenAI's API does: the conversation must stay usable after the restart (every later request would
 * otherwise be refused for the call left without a result), and the call's record must say how it ended.
 */
describe('a turn interrupted by a killed process', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('leaves a conversation the model can go on with, and a call record that says it was interrupted', async () => {
    const server = await startFakeOpenAiServer();
    server.reply({ sse: [chunk.toolStart(0, 'call_1', 'fs__write'), chunk.toolArgs(0, '{"path":"a.txt","content":"hi"}'), chunk.finish('tool_calls')] });
    const dataDir = tempDir();
    host = await startHost(dataDir);
    await callHost(host, 'models.set', { selection: { provider: 'openai-compatible', baseUrl: server.baseUrl, model: 'fake-model', toolMode: 'native' } });
    const { id } = await callHost<{ id: string }>(host, 'conversations.create', {});
    await callHost(host, 'chat.send', { conversationId: id, text: 'write a.txt with hi' });
    const first = host;
    await until('the write waits for approval', () => callHost<unknown[]>(first, 'approvals.pending'), (pending) => pending.length === 1);
    // Reading the trace stores the steps that have finished (spans are otherwise batched for up to 100 ms).
    const asked = (await callHost<Message[]>(first, 'messages.list', { conversationId: id })).find((m) => m.role === 'assistant')!;
    await until('the finished steps are stored', () => callHost<SpanRecord[]>(first, 'traces.spans', { traceId: asked.traceId }), (spans) => spans.some((span) => !span.inProgress));
    await stopHost(host, 'SIGKILL');

    host = await startHost(dataDir);
    server.reply({ sse: [chunk.text('Still here.'), chunk.finish('stop')] });
    await callHost(host, 'chat.send', { conversationId: id, text: 'are you there?' });
    const second = host;
    const messages = await until(
      'the next turn is answered',
      () => callHost<Message[]>(second, 'messages.list', { conversationId: id }),
      (list) => list.some((m) => m.role === 'assistant' && m.content === 'Still here.'),
    );
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'user', 'assistant']);
    // The chat shows the call as ended, and why, not as still being called.
    expect(messages[2]!.toolCall).toMatchObject({ modelCallId: 'call_1', status: 'failed', error: { code: 'TOOL_INTERRUPTED' } });
    expect(messages[2]!.traceId).toBe(messages[1]!.traceId);
    // The model was told the call did not finish, under the id it gave the call.
    const sent = server.requests[1]!.messages as { role: string; tool_call_id?: string; content: string }[];
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user']);
    expect(sent[3]).toMatchObject({ tool_call_id: 'call_1' });
    expect(JSON.parse(sent[3]!.content)).toMatchObject({ code: 'TOOL_INTERRUPTED' });
    // The killed turn's trace kept the steps that had finished; it has a root again, which says why, so it is
    // listed with its conversation and shown as one tree.
    const killedTrace = messages[1]!.traceId!;
    const listed = await callHost<TraceSummary[]>(second, 'traces.list', { conversationId: id });
    expect(listed.find((trace) => trace.traceId === killedTrace)).toMatchObject({ status: 'error' });
    const spans = await callHost<SpanRecord[]>(second, 'traces.spans', { traceId: killedTrace });
    expect(spans.filter((span) => span.parentSpanId === null)).toEqual([
      expect.objectContaining({ kind: 'turn', statusMessage: expect.stringMatching(/^Portcullis stopped before this turn ended/) }),
    ]);
    const ids = new Set(spans.map((span) => span.spanId));
    expect(spans.length).toBeGreaterThan(1);
    expect(spans.every((span) => span.parentSpanId === null || ids.has(span.parentSpanId))).toBe(true);
    await stopHost(host);

    // The record no longer says it waits for a person; its approval ended unanswered.
    const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
    expect(db.prepare('SELECT model_call_id, status, approval, error_code FROM tool_calls').all()).toEqual([
      { model_call_id: 'call_1', status: 'failed', approval: 'timed_out', error_code: 'TOOL_INTERRUPTED' },
    ]);
    expect(db.prepare('SELECT outcome FROM approvals').all()).toEqual([{ outcome: 'timed_out' }]);
    db.close();
  }, 60_000);
});
