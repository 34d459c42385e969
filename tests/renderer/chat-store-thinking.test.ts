import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../src/shared/api/contract';
import { chatReducer, initialChatState, type ChatState } from '../../src/renderer/features/chat/chat-store';

const at = (state: ChatState, event: AppEvent, receivedAt: number): ChatState => chatReducer(state, { type: 'event', event, receivedAt });
const delta = (turnId: string, text: string, thinking?: true): AppEvent => ({ channel: 'chat.delta', payload: { conversationId: 'c1', turnId, text, ...(thinking ? { thinking } : {}) } });

describe('a reasoning model thinking before its answer', () => {
  it('is shown thinking since its first thought, until the first word of its answer', () => {
    const thinking = at(initialChatState, delta('t1', '', true), 1_000);
    expect(thinking.streaming['c1']).toEqual({ turnId: 't1', text: '', thinkingSince: 1_000 });
    expect(thinking.running['c1']).toEqual([{ turnId: 't1', traceId: null }]);
    expect(at(thinking, delta('t1', 'Hello'), 5_000).streaming['c1']).toEqual({ turnId: 't1', text: 'Hello', textSince: 5_000 });
    // A thought of another turn starts afresh.
    expect(at(at(thinking, delta('t1', 'Hi'), 2_000), delta('t2', '', true), 9_000).streaming['c1']).toEqual({ turnId: 't2', text: '', thinkingSince: 9_000 });
  });

  it('takes back the text streamed as its answer when it turns out to have been thinking (a lone </think> came)', () => {
    const streamed = at(at(initialChatState, delta('t1', 'Okay, the person says hi.\n'), 1_000), delta('t1', 'A greeting.\n'), 2_000);
    const recalled = at(streamed, { channel: 'chat.delta', payload: { conversationId: 'c1', turnId: 't1', text: '', thinking: true, recalled: true } }, 3_000);
    // Thinking since its first words came, as the "Thought for N s" it ends on counts, not since the close.
    expect(recalled.streaming['c1']).toEqual({ turnId: 't1', text: '', thinkingSince: 1_000 });
    expect(at(recalled, delta('t1', 'Hello'), 4_000).streaming['c1']).toEqual({ turnId: 't1', text: 'Hello', textSince: 4_000 });
  });
});
