import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { dispatchRequest } from '../../src/core/api/dispatch';
import { RecordingGate } from '../helpers/recording-gate';
import { startTestRuntime } from '../helpers/test-runtime';

describe('memory tools and search through the runtime', () => {
  it('memory.save asks, saves the fact with its source message; memory.search runs without asking', async () => {
    const { runtime } = startTestRuntime({ approvalGate: new FixedApprovalGate('all') });
    const { id: conversationId } = await runtime.handlers['conversations.create']({});
    const saved = await runtime.startTurn(conversationId, 'remember that my dentist is Dr. Okafor').done;
    expect(saved.toolCalls).toMatchObject([{ toolName: 'memory.save', decision: { effect: 'ask' }, approval: 'approved', status: 'succeeded' }]);
    const [memory] = await runtime.handlers['memories.list']({});
    expect(memory).toMatchObject({ content: 'my dentist is Dr. Okafor', conversationId, sourceMessageId: expect.any(String) });
    const source = (await runtime.handlers['messages.list']({ conversationId })).find((m) => m.id === memory!.sourceMessageId);
    expect(source).toMatchObject({ role: 'user', content: 'remember that my dentist is Dr. Okafor' });

    const recalled = await runtime.startTurn(conversationId, 'what do you remember about dentist?').done;
    expect(recalled.toolCalls).toMatchObject([{ toolName: 'memory.search', decision: { effect: 'allow' }, status: 'succeeded' }]);
    expect(recalled.reply).toContain('Okafor');

    const hits = await runtime.handlers['search.query']({ query: 'okafor' });
    expect(hits.map((h) => h.kind)).toContain('memory');
    // A memory's hit names the message it came from, where the page opens its conversation.
    expect(hits.find((h) => h.kind === 'memory')).toMatchObject({ conversationId, sourceMessageId: memory!.sourceMessageId });
    const message = hits.find((h) => h.kind === 'message')!;
    expect(message.marks.map(([start, end]) => message.snippet.slice(start, end))).toEqual(['Okafor']);
  });

  it('forgetting a memory shows its text in the approval; a memory that is not there, or a save in a private chat, is refused without asking', async () => {
    const gate = new RecordingGate();
    const { runtime } = startTestRuntime({ approvalGate: gate });
    const { id } = await runtime.handlers['conversations.create']({});
    await runtime.startTurn(id, 'remember that my dentist is Dr. Okafor').done;
    const [memory] = await runtime.handlers['memories.list']({});
    const forgotten = await runtime.callTool('memory.forget', { id: memory!.id });
    expect(forgotten.record.status).toBe('succeeded');
    expect(gate.asked.at(-1)?.summary).toBe('Forget the memory "my dentist is Dr. Okafor"');

    const asked = gate.asked.length;
    const missing = await runtime.callTool('memory.forget', { id: memory!.id });
    expect(missing.record).toMatchObject({ status: 'failed', approval: null, error: { code: 'NOT_FOUND' } });
    const privateChat = await runtime.handlers['conversations.create']({ private: true });
    const save = await runtime.startTurn(privateChat.id, 'remember that the vault code is 1234').done;
    expect(save.toolCalls[0]).toMatchObject({ toolName: 'memory.save', status: 'failed', approval: null, error: { message: expect.stringContaining('This is a private conversation') } });
    expect(gate.asked).toHaveLength(asked);
  });

  it('memory.save denied by the person saves nothing', async () => {
    const { runtime } = startTestRuntime({ approvalGate: new FixedApprovalGate('none') });
    const { id } = await runtime.handlers['conversations.create']({});
    const result = await runtime.startTurn(id, 'remember that the vault code is 1234').done;
    expect(result.toolCalls[0]).toMatchObject({ toolName: 'memory.save', status: 'denied' });
    expect(await runtime.handlers['memories.list']({})).toEqual([]);
  });

  it('people can edit and delete memories; bad input is refused with a clear error', async () => {
    const { runtime } = startTestRuntime({ approvalGate: new FixedApprovalGate('all') });
    const { id } = await runtime.handlers['conversations.create']({});
    await runtime.startTurn(id, 'remember that I like tea').done;
    const [memory] = await runtime.handlers['memories.list']({});
    const edited = await runtime.handlers['memories.update']({ id: memory!.id, content: 'I like green tea' });
    expect(edited.content).toBe('I like green tea');
    expect((await runtime.handlers['search.query']({ query: 'green', scope: 'memories' })).map((h) => h.id)).toEqual([memory!.id]);
    expect(await runtime.handlers['memories.delete']({ id: memory!.id })).toEqual({ deleted: true });
    expect(await runtime.handlers['memories.list']({})).toEqual([]);
    expect(await runtime.handlers['search.query']({ query: 'green', scope: 'memories' })).toEqual([]);
    const bad = await dispatchRequest(runtime.handlers, 'memories.update', { id: 'x', content: '   ' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const missing = await dispatchRequest(runtime.handlers, 'memories.update', { id: 'nope', content: 'x' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('search copes with FTS syntax characters in what people type', async () => {
    const { runtime } = startTestRuntime();
    const { id } = await runtime.handlers['conversations.create']({});
    await runtime.startTurn(id, 'list the files "quoted" AND (odd) NEAR* -stuff').done;
    for (const query of ['"', 'AND', '(odd', 'NEAR*', '-stuff', '***']) {
      const result = await dispatchRequest(runtime.handlers, 'search.query', { query });
      expect(result.ok).toBe(true);
    }
    const hits = await runtime.handlers['search.query']({ query: '(odd' });
    expect(hits[0]?.snippet).toContain('"quoted" AND (odd) NEAR*');
    expect(hits[0]?.marks.map(([start, end]) => hits[0]!.snippet.slice(start, end))).toEqual(['odd']);
  });

  it("a memory's own brackets stay text: only the matches are marked, and the model is given no markers", async () => {
    const { runtime } = startTestRuntime({ approvalGate: new FixedApprovalGate('all') });
    const { id } = await runtime.handlers['conversations.create']({});
    await runtime.startTurn(id, 'remember that - [x] invoice [draft] sent to Bob, see [link](https://example.org)').done;
    const [hit] = await runtime.handlers['search.query']({ query: 'bob', scope: 'memories' });
    expect(hit?.snippet).toBe('- [x] invoice [draft] sent to Bob, see [link](https://example.org)');
    expect(hit?.marks).toEqual([[30, 33]]);
    const recalled = await runtime.startTurn(id, 'what do you remember about bob?').done;
    expect(recalled.reply).toContain('- [x] invoice [draft] sent to Bob, see [link](https://example.org)');
    expect(recalled.reply).not.toMatch(/\uE000|\uE001|\[Bob\]/);
  });
});
