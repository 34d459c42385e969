import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/storage/database';
import { scrubStoredSecrets } from '../../src/core/storage/scrub/stored-secret-scrubber';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { ReplyDraftStore } from '../../src/core/storage/stores/reply-draft-store';
import { tempDir } from '../helpers/temp-dir';

const CANARY = 'zqcanary7x4k9m2p';

/**
 * A reasoning model's thinking and a streaming reply's draft keep what the model said before a value was a secret,
 * as its answer does: the scrub masks them too, where it left them (the draft becomes a message at the next start).
 */
describe('the stored-secret scrub of a reply\'s words', () => {
  it('masks the value in a reply\'s thinking and in a streaming reply\'s draft', async () => {
    const dataDir = tempDir();
    const db = openDatabase(join(dataDir, 'portcullis.db'));
    new ConversationStore(db).create({ id: 'c', title: 't', createdAt: 1, updatedAt: 1 });
    new MessageStore(db).append({
      id: 'm', conversationId: 'c', turnId: 't', role: 'assistant', content: 'done', reasoning: { text: `the token is ${CANARY}`, ms: 5 }, traceId: null, createdAt: 1,
    });
    new ReplyDraftStore(db).save({ conversationId: 'c', turnId: 't2', traceId: null, content: `your token ${CANARY} is`, reasoning: { text: `use ${CANARY}`, ms: 5 }, updatedAt: 2 });
    const report = await scrubStoredSecrets({ main: db, traces: db, dataDir }, [CANARY]);
    expect(report.rows).toMatchObject({ messages: 1, reply_drafts: 1 });
    const held = (sql: string) => JSON.stringify(db.prepare(sql).all()).includes(CANARY);
    expect(held('SELECT reasoning FROM messages')).toBe(false);
    expect(held('SELECT content, reasoning FROM reply_drafts')).toBe(false);
    db.close();
  });
});
