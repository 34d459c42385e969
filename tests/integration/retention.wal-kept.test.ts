import { describe, expect, it } from 'vitest';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { fileHolds, retentionBesideHeldReader } from '../helpers/held-reader';

const SECRET = 'retentionwalcanary5521';
const DAY = 86_400_000;
const holds = (file: string): boolean => fileHolds(file, SECRET);

/** An old conversation, and another process (a backup tool, a second reader) holding a read transaction open. */
const setup = () => retentionBesideHeldReader({ secret: `${SECRET} talk` }, 100 * DAY);

const NOTE = 'the deleted text stays in portcullis.db-wal until Portcullis next empties it';

describe('retention while another program reads the database all along', () => {
  it('"delete everything" says the deleted text stays in portcullis.db-wal, and its audit entry names the file', async () => {
    const { file, audit, service, close } = setup();
    const report = await service.deleteEverything();
    expect(report).toMatchObject({ conversations: 1, messages: 1, note: expect.stringContaining(NOTE) });
    expect(report.note).not.toContain('traces.db-wal');
    expect(holds(`${file}-wal`)).toBe(true);
    expect(audit.list()).toMatchObject([{ type: 'retention.delete_everything', detail: { walKept: ['portcullis.db'] } }]);
    close();
  }, 30_000);

  it('a retention cut says so too; a run that deleted nothing says nothing', async () => {
    const { audit, service, close } = setup();
    service.update({ conversationDays: 30, traceDays: null, maxDatabaseMb: null });
    const report = await service.run('purge now');
    expect(report).toMatchObject({ conversations: 1, note: expect.stringContaining(NOTE) });
    expect(audit.list()).toMatchObject([{ type: 'retention.cut', detail: { walKept: ['portcullis.db'] } }]);
    expect(await service.run('periodic')).not.toHaveProperty('note');
    close();
  }, 60_000);

  it('a size cap cuts nothing while the WAL cannot be emptied (it only grows with each deletion), where it went on cutting conversations', async () => {
    const { db, service, close } = setup();
    const conversations = new ConversationStore(db);
    const messages = new MessageStore(db);
    for (let i = 0; i < 40; i++) {
      conversations.create({ id: `c${i}`, title: `c${i}`, createdAt: 2 + i, updatedAt: 2 + i });
      for (let j = 0; j < 30; j++) messages.append({ id: `c${i}-m${j}`, conversationId: `c${i}`, turnId: 't', role: 'user', content: `text ${'z'.repeat(2000)}`, traceId: null, createdAt: 2 + i });
    }
    expect(service.databaseBytes()).toBeGreaterThan(2 * 1024 * 1024);
    service.update({ conversationDays: null, traceDays: null, maxDatabaseMb: 1 });
    expect(await service.run('purge now')).toMatchObject({ conversations: 0 });
    expect(conversations.list()).toHaveLength(41);
    close();
  }, 60_000);
});
