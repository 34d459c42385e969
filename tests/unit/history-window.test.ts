import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/message';
import { DEFAULT_HISTORY_TOKENS, fitHistory, fitNewestHistory, historyBudget, maxToolResultChars } from '../../src/core/orchestrator/history-window';

/** Turn `t` of a conversation: the request, a tool call and its result, the reply (4 messages). */
function turn(t: number): Message[] {
  const base = { conversationId: 'c', turnId: `t${t}`, traceId: null, createdAt: t };
  return [
    { ...base, id: `${t}u`, role: 'user', content: `request ${t}` },
    { ...base, id: `${t}a`, role: 'assistant', content: '', toolCalls: [{ id: `${t}c`, name: 'fs.read', arguments: {} }] },
    { ...base, id: `${t}t`, role: 'tool', content: '' },
    { ...base, id: `${t}r`, role: 'assistant', content: `reply ${t}` },
  ];
}
const conversation = (turns: number) => Array.from({ length: turns }, (_, t) => turn(t)).flat();
const tenEach = () => 10;

describe('the history a model is sent', () => {
  it('is the newest whole turns that fit, oldest first, with the count of what was left out', () => {
    const window = fitHistory(conversation(10), 85, tenEach); // 40 tokens a turn: two turns fit, not a third
    expect(window.messages.map((m) => m.id)).toEqual([...turn(8), ...turn(9)].map((m) => m.id));
    expect(window.omitted).toBe(32);
  });

  it('never cuts a turn in two, so no tool result goes without its call', () => {
    const window = fitHistory(conversation(5), 100, tenEach); // room for 2.5 turns
    expect(window.messages).toHaveLength(8);
    expect(window.messages[0]!.role).toBe('user');
  });

  it('sends the turn being answered whole even when it alone is over the limit', () => {
    const messages = [...conversation(3), ...turn(3)];
    const window = fitHistory(messages, 5, tenEach);
    expect(window.messages.map((m) => m.turnId)).toEqual(['t3', 't3', 't3', 't3']);
    expect(window.omitted).toBe(12);
  });

  it('sends a retried turn with the turn it retries, whose request it answers, even over the limit', () => {
    // Turn 3 stopped after its tool call; its retry (turn "r") has no message of the person's own.
    const stopped = turn(3).slice(0, 3);
    const retry: Message[] = [{ conversationId: 'c', turnId: 'r', traceId: null, createdAt: 9, id: 'rr', role: 'assistant', content: 'reply 3' }];
    const window = fitHistory([...conversation(3), ...stopped, ...retry], 5, tenEach);
    expect(window.messages.map((m) => m.id)).toEqual(['3u', '3a', '3t', 'rr']);
    // Taken as one: the retried turn goes with it or not at all, never the retry alone.
    const earlier = fitHistory([...conversation(3), ...stopped, ...retry, ...turn(4)], 55, tenEach); // room for the retry alone, not with its turn
    expect(earlier.messages.map((m) => m.id)).toEqual(turn(4).map((m) => m.id));
  });

  it('sends everything when everything fits', () => {
    expect(fitHistory(conversation(3), 1_000, tenEach)).toEqual({ messages: conversation(3), omitted: 0, tokens: 120 });
    expect(fitHistory([], 10, tenEach)).toEqual({ messages: [], omitted: 0, tokens: 0 });
  });

  it('fits a known context: less the room for the reply, a tenth spare and the prompt; the default limit when unknown', () => {
    expect(historyBudget(null, 500)).toBe(DEFAULT_HISTORY_TOKENS);
    expect(historyBudget(4_096, 500)).toBe(4_096 - 1_024 - 409 - 500);
    expect(historyBudget(16_384, 500)).toBe(16_384 - 4_096 - 1_638 - 500); // the reply's room stops at 4,096
    expect(historyBudget(1_000_000, 500)).toBe(DEFAULT_HISTORY_TOKENS);
    expect(historyBudget(2_048, 5_000)).toBe(0); // tool definitions larger than the context: only the last turn goes
  });

  it('lets one tool result take a third of a known context\'s room, never the default limit, never under 1,000 characters', () => {
    expect(maxToolResultChars(2_048, 55)).toBe(Math.floor((2_048 - 512 - 204 - 55) / 3) * 4);
    expect(maxToolResultChars(200_000, 500)).toBe(Math.floor((200_000 - 4_096 - 20_000 - 500) / 3) * 4);
    expect(maxToolResultChars(1_024, 2_000)).toBe(1_000);
  });

  it('read from the newest end a page at a time, fits exactly as over the whole conversation', () => {
    // Turns of 1 to 7 messages, so that pages start inside turns.
    const all: Message[] = [];
    for (let t = 0; t < 300; t++) {
      for (let i = 0; i < 1 + (t % 7); i++) all.push({ id: `${t}.${i}`, conversationId: 'c', turnId: `t${t}`, role: i === 0 ? 'user' : 'assistant', content: '', traceId: null, createdAt: t });
    }
    for (const maxTokens of [0, 35, 400, 2_000, 9_000, 100_000]) {
      for (const firstPage of [1, 5, 64, 200]) {
        const reads: number[] = [];
        const read = { newest: (count: number) => (reads.push(count), all.slice(-count)), total: () => all.length };
        const paged = fitNewestHistory(read, maxTokens, tenEach, firstPage);
        const whole = fitHistory(all, maxTokens, tenEach);
        expect({ ...paged, firstPage, maxTokens }).toEqual({ ...whole, firstPage, maxTokens });
        if (maxTokens === 400 && firstPage === 200) expect(reads).toEqual([200]); // one page when the budget is inside it
      }
    }
  });
});
