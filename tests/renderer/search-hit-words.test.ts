import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/message';
import type { SearchHit } from '../../src/shared/domain/memory';
import { windowHolding } from '../../src/renderer/features/chat/reveal-target';
import { hitPlace, hitSource, memorySource, openHitName, revealOf } from '../../src/renderer/features/memory/search-hit-words';

const hit = (over: Partial<SearchHit>): SearchHit => ({
  kind: 'message', id: 'h1', conversationId: 'c1', conversationTitle: 'Quarter review', role: 'assistant', snippet: 'Q3,churnrate,4.1%', marks: [[3, 12]], score: -1, createdAt: 0, ...over,
});

describe('search hits, as the Search & memory page says them', () => {
  it("a tool's result says so, and which tool's, apart from the person's and the agent's words", () => {
    const result = hit({ kind: 'tool_result', id: 'call-7', role: 'tool', toolName: 'fs.read', untrusted: true });
    expect(hitSource(result)).toBe('Tool result');
    expect(hitPlace(result)).toBe('from fs.read in “Quarter review”');
    expect(openHitName(result)).toBe('Open tool call fs.read in Quarter review at: Q3,churnrate,4.1%');
    expect(hitSource(hit({ role: 'user' }))).toBe('You');
    expect(hitSource(hit({ role: 'user', author: 'Cursor (MCP)' }))).toBe('Cursor (MCP)');
    expect(hitSource(hit({}))).toBe('Agent');
    expect(hitSource(hit({ kind: 'memory', role: null }))).toBe('Memory');
    expect(hitPlace(hit({}))).toBe('in “Quarter review”');
    expect(hitPlace(hit({ kind: 'memory', conversationTitle: null }))).toBeNull();
    expect(openHitName(hit({}))).toBe('Open conversation Quarter review at: Q3,churnrate,4.1%');
  });

  it("opens a tool result at its call's card, a message at the message, a memory at the message it came from", () => {
    expect(revealOf(hit({ kind: 'tool_result', id: 'call-7' }))).toEqual({ kind: 'tool_call', id: 'call-7' });
    expect(revealOf(hit({ id: 'm-3' }))).toEqual({ kind: 'message', id: 'm-3' });
    expect(revealOf(hit({ kind: 'memory', id: 'mem-1', sourceMessageId: 'm-2' }))).toEqual({ kind: 'message', id: 'm-2' });
    // Its message deleted since: the conversation, at its end.
    expect(revealOf(hit({ kind: 'memory', id: 'mem-1' }))).toBeUndefined();
    expect(memorySource({ sourceMessageId: 'm-2' })).toEqual({ kind: 'message', id: 'm-2' });
    expect(memorySource({ sourceMessageId: null })).toBeUndefined();
  });
});

describe('the messages drawn to show the message or tool card a search opened', () => {
  const message = (i: number, toolCallId?: string): Message =>
    ({ id: `m${i}`, conversationId: 'c1', turnId: 't', role: toolCallId ? 'tool' : 'user', content: '', traceId: null, createdAt: i, ...(toolCallId ? { toolCall: { id: toolCallId } } : {}) }) as Message;
  const messages = Array.from({ length: 400 }, (_, i) => message(i, i === 100 ? 'call-old' : i === 390 ? 'call-new' : undefined));

  it('the newest window when it is in it, enough earlier ones when it is older, none while it is not loaded', () => {
    const call = (id: string) => ({ kind: 'tool_call' as const, id });
    expect(windowHolding(messages, call('call-new'), 150)).toBe(150);
    expect(windowHolding(messages, call('call-old'), 150)).toBe(300);
    expect(windowHolding(messages, call('call-old'), 350)).toBe(350);
    expect(windowHolding(messages, { kind: 'message', id: 'm10' }, 150)).toBe(390);
    expect(windowHolding([], call('call-old'), 150)).toBeNull();
    expect(windowHolding(messages, call('no-such-call'), 150)).toBeNull();
    // A message's id is not a call's: the kinds are not mixed up.
    expect(windowHolding(messages, call('m10'), 150)).toBeNull();
  });
});
