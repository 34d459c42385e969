import { describe, expect, it } from 'vitest';
import { toModelMessages } from '../../src/core/orchestrator/model-history';
import type { Message } from '../../src/shared/domain/message';

const reply = (content: string, extra: Partial<Message> = {}): Message => ({ id: 'm', conversationId: 'c', turnId: 't', role: 'assistant', content, traceId: null, createdAt: 0, ...extra });

describe('what the model is sent of its earlier replies', () => {
  it('leaves out their thinking: kept apart, or a <think> block stored in the text before it was', () => {
    expect(toModelMessages([reply('Hello!', { reasoning: { text: 'greet', ms: 5 } })])).toEqual([{ role: 'assistant', content: 'Hello!' }]);
    expect(toModelMessages([reply('<think>greet them</think>\n\nHello!')])).toEqual([{ role: 'assistant', content: 'Hello!' }]);
    // Not closed: it may be the answer's own words.
    expect(toModelMessages([reply('<think> is a tag')])).toEqual([{ role: 'assistant', content: '<think> is a tag' }]);
  });
});
