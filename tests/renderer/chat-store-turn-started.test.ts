import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../src/shared/api/contract';
import { chatReducer, initialChatState, shownRunningTurn, type ChatState } from '../../src/renderer/features/chat/chat-store';

const on = (state: ChatState, event: AppEvent): ChatState => chatReducer(state, { type: 'event', event, receivedAt: 0 });
const started = (turnId: string): AppEvent => ({ channel: 'chat.turnStarted', payload: { conversationId: 'c1', turnId, traceId: `trace-${turnId}` } });
const ended = (turnId: string): AppEvent => ({ channel: 'chat.turnEnded', payload: { conversationId: 'c1', turnId, traceId: `trace-${turnId}`, error: null } });

describe('a turn this page did not start (a direct call of a script or an MCP client, another page)', () => {
  it('runs from its chat.turnStarted to its chat.turnEnded, so its row has the running dot and the chat Stop', () => {
    const running = on(initialChatState, started('d1'));
    expect(running.running['c1']).toEqual([{ turnId: 'd1', traceId: 'trace-d1' }]);
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
    expect(accepted.running['c1']).toEqual([{ turnId: 't1', traceId: 'trace-t1' }]);
    expect(accepted.messages['c1']?.map((m) => m.id)).toEqual(['m1']);
  });
});

describe('a chat turn and a direct call running at once in one conversation', () => {
  const sent = (state: ChatState): ChatState =>
    chatReducer(state, { type: 'sendStarted', message: { id: 'local:1', conversationId: 'c1', turnId: '', role: 'user', content: 'hi', traceId: null, createdAt: 0 } });
  const accept = (state: ChatState): ChatState =>
    chatReducer(state, { type: 'sendAccepted', conversationId: 'c1', localId: 'local:1', turnId: 't1', traceId: 'trace-t1', userMessageId: 'm1' });

  it('keeps the conversation running (dot and Stop) while the other runs, whichever ends first', () => {
    const both = on(accept(sent(initialChatState)), started('d1'));
    expect(both.running['c1']?.map((turn) => turn.turnId)).toEqual(['t1', 'd1']);
    const chatEnded = on(both, ended('t1'));
    expect(shownRunningTurn(chatEnded, 'c1')).toEqual({ turnId: 'd1', traceId: 'trace-d1' });
    expect(on(chatEnded, ended('d1')).running['c1']).toBeUndefined();
    const callEnded = on(both, ended('d1'));
    expect(shownRunningTurn(callEnded, 'c1')).toEqual({ turnId: 't1', traceId: 'trace-t1' });
    expect(on(callEnded, ended('t1')).running['c1']).toBeUndefined();
  });

  it('keeps a direct call that started while the message was on its way, and drops only the sending if the host refuses it', () => {
    const waiting = on(sent(initialChatState), started('d1'));
    expect(accept(waiting).running['c1']?.map((turn) => turn.turnId)).toEqual(['t1', 'd1']);
    const refused = chatReducer(waiting, { type: 'sendFailed', conversationId: 'c1', localId: 'local:1' });
    expect(refused.running['c1']).toEqual([{ turnId: 'd1', traceId: 'trace-d1' }]);
  });

  it('shows the turn streaming its reply as the one running, its trace the live one', () => {
    const both = on(accept(sent(initialChatState)), started('d1'));
    const streaming = on(both, { channel: 'chat.delta', payload: { conversationId: 'c1', turnId: 't1', text: 'Hel' } });
    expect(shownRunningTurn(streaming, 'c1')?.turnId).toBe('t1');
    expect(shownRunningTurn(both, 'c1')?.turnId).toBe('d1');
  });

  it('keeps a turn found running when the page loads beside one it is sending', () => {
    const found = chatReducer(sent(initialChatState), { type: 'runningFound', conversationId: 'c1', turnId: 'd1', traceId: 'trace-d1' });
    expect(found.running['c1']?.map((turn) => turn.turnId)).toEqual([null, 'd1']);
  });
});
