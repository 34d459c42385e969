import { describe, expect, it } from 'vitest';
import { answerEveryToolCall, INTERRUPTED_CALL_RESULT } from '../../src/core/orchestrator/model-history';
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
