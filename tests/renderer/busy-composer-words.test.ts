import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/message';
import { busyComposerWords, directCallAuthor } from '../../src/renderer/features/chat/busy-composer-words';

const message = (extra: Partial<Message>): Message => ({ id: 'm', conversationId: 'c1', turnId: 't1', role: 'user', content: 'x', traceId: null, createdAt: 0, ...extra });

describe('the message box while a turn runs', () => {
  it("knows a script's or an MCP client's call by its request's author, and a turn of the person's as none", () => {
    const messages = [message({ turnId: 't1' }), message({ id: 'd', turnId: 'd1', author: 'Cursor (MCP)', directCall: true }), message({ id: 'a', turnId: 'd1', role: 'assistant', content: '' })];
    expect(directCallAuthor(messages, 'd1')).toBe('Cursor (MCP)');
    expect(directCallAuthor(messages, 't1')).toBeUndefined();
    expect(directCallAuthor(messages, null)).toBeUndefined();
    expect(directCallAuthor(messages, 'not loaded yet')).toBeUndefined();
  });

  it('says whose call runs, not that the agent works, when the person did not ask for it', () => {
    expect(busyComposerWords(undefined).hint).toBe('The agent is working: Enter sends once this turn ends · Esc stops it');
    expect(busyComposerWords('Cursor (MCP)')).toEqual({
      placeholder: 'Write your next message; it is sent with Enter once the call Cursor (MCP) made ends',
      hint: 'A call Cursor (MCP) made is under way here: Enter sends once it ends · Esc cancels it',
    });
  });

  it('speaks of every turn running at once (the agent\'s and a direct call), which the message waits for and Esc stops', () => {
    expect(busyComposerWords(undefined, ['Cursor (MCP)'])).toEqual({
      placeholder: 'Write your next message; it is sent with Enter once all that runs here ends',
      hint: 'The agent and a call Cursor (MCP) made are under way here: Enter sends once both end · Esc stops both',
    });
    expect(busyComposerWords('Cursor (MCP)', [undefined, 'backup (local API)']).hint).toBe(
      'A call Cursor (MCP) made, the agent and a call backup (local API) made are under way here: Enter sends once all end · Esc stops them all',
    );
  });
});
