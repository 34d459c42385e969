import { describe, expect, it } from 'vitest';
import { fileHolds, retentionBesideHeldReader } from '../helpers/held-reader';

const SECRET = 'walkeptcanary4410';
const holds = (file: string): boolean => fileHolds(file, SECRET);

/** Two conversations, and another process (a backup tool, a second reader) holding a read transaction open. */
const setup = () => retentionBesideHeldReader({ secret: `${SECRET} talk`, other: 'plain talk' }, 1_000);

describe('deleting a conversation while another program reads the database all along', () => {
  it('says the deleted text stays in portcullis.db-wal, and the next deletion empties it', () => {
    const { db, file, traces, audit, service, reader } = setup();
    const deleted = service.deleteConversation('secret');
    expect(deleted).toMatchObject({ messages: 1, note: expect.stringContaining('the deleted text stays in portcullis.db-wal until Portcullis next empties it') });
    expect(deleted!.note).not.toContain('traces.db-wal');
    expect(holds(`${file}-wal`)).toBe(true);
    expect(audit.list()).toMatchObject([{ type: 'conversation.deleted', detail: { conversationId: 'secret', walKept: ['portcullis.db'] } }]);

    reader.exec('COMMIT');
    reader.close();
    expect(service.deleteConversation('other')).toEqual({ messages: 1, spans: 0 });
    expect(holds(`${file}-wal`)).toBe(false);
    expect(holds(file)).toBe(false);
    db.close();
    traces.db.close();
  }, 30_000);

  it('the next start empties it (its retention run reclaims space whatever the settings)', async () => {
    const { db, file, traces, service, reader } = setup();
    expect(service.deleteConversation('secret')?.note).toContain('portcullis.db-wal');
    reader.exec('COMMIT');
    reader.close();
    await service.run('start');
    expect(holds(`${file}-wal`)).toBe(false);
    db.close();
    traces.db.close();
  }, 30_000);
});
