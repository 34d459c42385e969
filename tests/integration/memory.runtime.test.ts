import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { dispatchRequest } from '../../src/core/api/dispatch';
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
    expect(hits.find((h) => h.kind === 'message')?.snippet).toMatch(/\[Okafor\]/);
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
    expect(hits[0]?.snippet).toContain('[odd]');
  });
});
