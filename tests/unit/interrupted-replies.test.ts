import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepInterruptedReplies } from '../../src/core/orchestrator/interrupted-replies';
import { openDatabase } from '../../src/core/storage/database';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { ReplyDraftStore } from '../../src/core/storage/stores/reply-draft-store';
import { tempDir } from '../helpers/temp-dir';

function stores() {
  const db = openDatabase(join(tempDir(), 'portcullis.db'));
  const conversations = new ConversationStore(db);
  const messages = new MessageStore(db);
  const drafts = new ReplyDraftStore(db);
  for (const id of ['a', 'b']) {
    conversations.create({ id, title: id, createdAt: 1, updatedAt: 1 });
    messages.append({ id: `${id}-ask`, conversationId: id, turnId: `${id}-turn`, role: 'user', content: 'tell me', traceId: `${id}-trace`, createdAt: 1 });
  }
  return { db, messages, drafts };
}

/** A reply streaming when its process ended becomes the reply as far as it came, cut short, once. */
describe('keepInterruptedReplies', () => {
  it('keeps each draft as a cut-short reply after its turn\'s messages, with its thinking, and deletes it', () => {
    const { db, messages, drafts } = stores();
    drafts.save({ conversationId: 'a', turnId: 'a-turn', traceId: 'a-trace', content: 'Once upon', updatedAt: 2 });
    drafts.save({ conversationId: 'a', turnId: 'a-turn', traceId: 'a-trace', content: 'Once upon a time', reasoning: { text: 'a story', ms: 40 }, updatedAt: 3 });
    expect(keepInterruptedReplies(drafts, messages)).toBe(1);
    expect(messages.list('a').map(({ role, content, cutShort, reasoning, traceId }) => ({ role, content, cutShort, reasoning, traceId }))).toEqual([
      { role: 'user', content: 'tell me', cutShort: undefined, reasoning: undefined, traceId: 'a-trace' },
      { role: 'assistant', content: 'Once upon a time', cutShort: true, reasoning: { text: 'a story', ms: 40 }, traceId: 'a-trace' },
    ]);
    expect(drafts.left()).toEqual([]);
    // Kept once: a second start finds nothing.
    expect(keepInterruptedReplies(drafts, messages)).toBe(0);
    db.close();
  });

  it('leaves a turn another process still runs, and with a turn only that turn\'s draft', () => {
    const { db, messages, drafts } = stores();
    drafts.save({ conversationId: 'a', turnId: 'a-turn', traceId: 'a-trace', content: 'still streaming', updatedAt: 2 });
    drafts.save({ conversationId: 'b', turnId: 'b-turn', traceId: 'b-trace', content: 'killed', updatedAt: 2 });
    expect(keepInterruptedReplies(drafts, messages, undefined, (turn) => turn.conversationId === 'a')).toBe(1);
    expect(messages.list('a')).toHaveLength(1);
    expect(messages.list('b').at(-1)).toMatchObject({ content: 'killed', cutShort: true });
    expect(keepInterruptedReplies(drafts, messages, { conversationId: 'a', turnId: 'other-turn' })).toBe(0);
    expect(keepInterruptedReplies(drafts, messages, { conversationId: 'a', turnId: 'a-turn' })).toBe(1);
    db.close();
  });

  it('stores a step\'s reply and deletes its draft in one transaction', () => {
    const { db, messages, drafts } = stores();
    drafts.save({ conversationId: 'a', turnId: 'a-turn', traceId: 'a-trace', content: 'Once', updatedAt: 2 });
    expect(() => drafts.settle('a', () => {
      messages.append({ id: 'a-reply', conversationId: 'a', turnId: 'a-turn', role: 'assistant', content: 'Once upon a time.', traceId: 'a-trace', createdAt: 3 });
      throw new Error('disk full');
    })).toThrow('disk full');
    // Neither happened: the draft is still there to be kept.
    expect(messages.list('a')).toHaveLength(1);
    expect(drafts.left()).toHaveLength(1);
    drafts.settle('a', () => messages.append({ id: 'a-reply', conversationId: 'a', turnId: 'a-turn', role: 'assistant', content: 'Once upon a time.', traceId: 'a-trace', createdAt: 3 }));
    expect(drafts.left()).toEqual([]);
    db.close();
  });
});
