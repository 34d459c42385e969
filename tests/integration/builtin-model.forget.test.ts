import { describe, expect, it } from 'vitest';
import { FixedApprovalGate, type ApprovalGate } from '../../src/core/approvals/approval-gate';
import { RecordingGate } from '../helpers/recording-gate';
import { startTestRuntime } from '../helpers/test-runtime';

describe('the built-in model forgets a memory by its words', () => {
  it('searches, then forgets the one memory that matches (it asks), and keeps the others', async () => {
    const { runtime } = startTestRuntime({ approvalGate: new FixedApprovalGate('all') });
    const { id } = await runtime.handlers['conversations.create']({});
    await runtime.startTurn(id, 'remember that my dentist is Dr. Okafor').done;
    await runtime.startTurn(id, 'remember that I like tea').done;

    const forgot = await runtime.startTurn(id, 'forget that I like tea').done;
    expect(forgot.error).toBeNull();
    expect(forgot.toolCalls).toMatchObject([
      { toolName: 'memory.search', arguments: { query: 'I like tea' }, decision: { effect: 'allow' }, status: 'succeeded' },
      { toolName: 'memory.forget', decision: { effect: 'ask' }, approval: 'approved', status: 'succeeded', result: { forgotten: { content: 'I like tea' } } },
    ]);
    expect(forgot.reply).toBe('Forgotten: "I like tea".');
    expect((await runtime.handlers['memories.list']({})).map((m) => m.content)).toEqual(['my dentist is Dr. Okafor']);

    const recalled = await runtime.startTurn(id, 'what do you remember about my dentist?').done;
    expect(recalled.reply).toContain('Okafor');
  });

  it('denied, it forgets nothing and says so', async () => {
    // Saving is approved, forgetting denied, as the person would in the dialog.
    const gate: ApprovalGate = { request: async (request) => ({ outcome: request.toolName === 'memory.forget' ? 'denied' : 'approved' }) };
    const { runtime } = startTestRuntime({ approvalGate: gate });
    const { id } = await runtime.handlers['conversations.create']({});
    await runtime.startTurn(id, 'remember that the invoice is due in March').done;
    const denied = await runtime.startTurn(id, 'delete the memory about the invoice').done;
    expect(denied.toolCalls).toMatchObject([{ toolName: 'memory.search', status: 'succeeded' }, { toolName: 'memory.forget', status: 'denied' }]);
    expect(denied.reply).toBe('You denied memory.forget, so nothing was done.');
    expect((await runtime.handlers['memories.list']({})).map((m) => m.content)).toEqual(['the invoice is due in March']);
  });

  it('several matches are listed with how to pick one, none matching is said, and nothing is asked or forgotten', async () => {
    const gate = new RecordingGate();
    const { runtime } = startTestRuntime({ approvalGate: gate });
    const { id } = await runtime.handlers['conversations.create']({});
    await runtime.startTurn(id, 'remember that I like green tea').done;
    await runtime.startTurn(id, 'remember that tea is best at four').done;
    const memories = await runtime.handlers['memories.list']({});
    const asked = gate.asked.length;

    const several = await runtime.startTurn(id, 'forget what you know about tea').done;
    expect(several.toolCalls.map((call) => call.toolName)).toEqual(['memory.search']);
    expect(several.reply).toMatch(/^2 memories match "tea", so I have not forgotten any of them:\n/);
    for (const memory of memories) expect(several.reply).toContain(`: \`memory.forget {"id":"${memory.id}"}\``);

    const none = await runtime.startTurn(id, 'forget my locker number').done;
    expect(none.reply).toBe('I don\'t remember anything about "locker number", so there is nothing to forget.');
    expect(gate.asked).toHaveLength(asked);
    expect(await runtime.handlers['memories.list']({})).toHaveLength(2);

    // Picked by the line the list gave: the approval names the memory, not its id.
    const green = memories.find((m) => m.content === 'I like green tea')!;
    const picked = await runtime.startTurn(id, `memory.forget {"id":"${green.id}"}`).done;
    expect(picked.reply).toBe('Forgotten: "I like green tea".');
    expect(gate.asked.at(-1)?.summary).toBe('Forget the memory "I like green tea"');
    expect((await runtime.handlers['memories.list']({})).map((m) => m.content)).toEqual(['tea is best at four']);
  });
});
