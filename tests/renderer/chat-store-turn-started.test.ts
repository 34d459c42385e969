import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../src/shared/api/contract';
import { chatReducer, initialChatState, type ChatState } from '../../src/renderer/features/chat/chat-store';

const on = (state: ChatState, event: AppEvent): ChatState => chatReducer(state, { type: 'event', event, receivedAt: 0 });
const started = (turnId: string): AppEvent => ({ channel: 'chat.turnStarted', payload: { conversationId: 'c1', turnId, traceId: `trace-${turnId}` } });
const ended = (turnId: string): AppEvent => ({ channel: 'chat.turnEnded', payload: { conversationId: 'c1', turnId, traceId: `trace-${turnId}`, error: null } });

describe('a turn this page did not start (a direct call of a script or an MCP client, another page)', () => {
  it('runs from its chat.turnStarted to its chat.turnEnded, so its row has the running dot and the chat Stop', () => {
    const running = on(initialChatState, started('d1'));
    expect(running.running['c1']).toEqual({ turnId: 'd1', traceId: 'trace-d1' });
    expect(on(running, ended('d1')).running['c1']).toBeUndefined();
  });

  it('is not shown running again by a start heard after its end, and no longer shows an earlier turn\'s error', () => {
    const endedFirst = on(initialChatState, ended('d1'));
    expect(on(endedFirst, started('d1')).running['c1']).toBeUndefined();
    const failed = on(initialChatState, { channel: 'chat.turnEnded', payload: { conversationId: 'c1', turnId: 't0', traceId: 'x', error: { code: 'MODEL_UNAVAILABLE', message: 'down' } } });
    expect(failed.turnErrors['c1']).toBeDefined();
    expect(on(failed, started('d1')).turnErrors['c1']).toBeUndefined();
  });

  it("of the page's own sending keeps the message it sent and its ids", () => {
    const sent = chatReducer(initialChatState, { type: 'sendStarted', message: { id: 'local:1', conversationId: 'c1', turnId: '', role: 'user', content: 'hi', traceId: null, createdAt: 0 } });
    const heard = on(sent, started('t1'));
    const accepted = chatReducer(heard, { type: 'sendAccepted', conversationId: 'c1', localId: 'local:1', turnId: 't1', traceId: 'trace-t1', userMessageId: 'm1' });
    expect(accepted.running['c1']).toEqual({ turnId: 't1', traceId: 'trace-t1' });
    expect(accepted.messages['c1']?.map((m) => m.id)).toEqual(['m1']);
  });
});
