import { describe, expect, it } from 'vitest';
import { answerEveryToolCall, INTERRUPTED_CALL_RESULT } from '../../src/core/orchestrator/model-history';
import { inTurnOrder } from '../../src/core/orchestrator/turn-order';
import type { ModelMessage } from '../../src/core/model/model-provider';

const user = (content: string): ModelMessage => ({ role: 'user', content });
const asks = (...ids: string[]): ModelMessage => ({ role: 'assistant', content: '', toolCalls: ids.map((id) => ({ id, name: `t.${id}`, arguments: {} })) });
const result = (toolCallId: string, content = `result of ${toolCallId}`): ModelMessage => ({ role: 'tool', toolCallId, toolName: 'stored.name', content, isError: false });

describe('answerEveryToolCall', () => {
  it('leaves a conversation whose results carry their calls’ ids as it is', () => {
    const messages = [user('go'), asks('call_1', 'call_2'), result('call_2'), result('call_1'), { role: 'assistant', content: 'done' } as ModelMessage];
    expect(answerEveryToolCall(messages)).toEqual(messages);
  });

  it('gives results stored without the model’s id (record ids) the ids of the calls, in the order asked', () => {
    const out = answerEveryToolCall([user('go'), asks('call_a', 'call_b'), result('uuid-1', 'first'), result('uuid-2', 'second')]);
    expect(out.slice(2)).toEqual([
      { role: 'tool', toolCallId: 'call_a', toolName: 't.call_a', content: 'first', isError: false },
      { role: 'tool', toolCallId: 'call_b', toolName: 't.call_b', content: 'second', isError: false },
    ]);
  });

  it('answers a call left without a result (the process ended while it ran) with an error that says so', () => {
    const out = answerEveryToolCall([user('write it'), asks('call_1', 'call_2'), result('call_1'), user('are you there?')]);
    expect(out.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'user']);
    expect(out[3]).toEqual({ role: 'tool', toolCallId: 'call_2', toolName: 't.call_2', content: INTERRUPTED_CALL_RESULT, isError: true });
    expect(JSON.parse(INTERRUPTED_CALL_RESULT)).toMatchObject({ code: 'TOOL_INTERRUPTED' });
    // At the very end too: the conversation's newest message may be the unanswered call.
    expect(answerEveryToolCall([user('go'), asks('call_9')]).at(-1)).toMatchObject({ role: 'tool', toolCallId: 'call_9', isError: true });
  });

  it('leaves out a result that answers no call before it', () => {
    expect(answerEveryToolCall([user('go'), result('stray'), { role: 'assistant', content: 'hi' }])).toEqual([user('go'), { role: 'assistant', content: 'hi' }]);
  });
});

describe('inTurnOrder', () => {
  // Two calls of one MCP client session at once, as stored: each turn is "request, asked, answered, note".
  const stored = [
    { turnId: 'a', message: user('tools/call fs_read a.txt') },
    { turnId: 'a', message: asks('direct-a') },
    { turnId: 'b', message: user('tools/call fs_read b.txt') },
    { turnId: 'b', message: asks('direct-b') },
    { turnId: 'b', message: result('direct-b', 'text of b') },
    { turnId: 'b', message: { role: 'assistant', content: 'note b' } as ModelMessage },
    { turnId: 'a', message: result('direct-a', 'text of a') },
    { turnId: 'a', message: { role: 'assistant', content: 'note a' } as ModelMessage },
  ];

  it('keeps each turn together, in the order the turns began, so each result answers its own call', () => {
    const history = answerEveryToolCall(inTurnOrder(stored).map((entry) => entry.message));
    const results = history.filter((m) => m.role === 'tool');
    expect(results).toEqual([
      { role: 'tool', toolCallId: 'direct-a', toolName: 'stored.name', content: 'text of a', isError: false },
      { role: 'tool', toolCallId: 'direct-b', toolName: 'stored.name', content: 'text of b', isError: false },
    ]);
    // Read as stored, a's call was closed as interrupted and its result dropped: the model was told a ran and failed.
    const asStored = answerEveryToolCall(stored.map((entry) => entry.message)).filter((m) => m.role === 'tool');
    expect(asStored.map((m) => m.role === 'tool' && m.isError)).toContain(true);
  });

  it('changes nothing in a conversation whose turns never overlapped', () => {
    const plain = [{ turnId: '1', n: 1 }, { turnId: '1', n: 2 }, { turnId: '2', n: 3 }, { turnId: '3', n: 4 }, { turnId: '3', n: 5 }];
    expect(inTurnOrder(plain)).toEqual(plain);
  });
});
