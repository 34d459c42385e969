import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RetentionCutLog } from '../../src/core/retention/audit-sink';
import { RetentionService } from '../../src/core/retention/retention-service';
import { openDatabase } from '../../src/core/storage/database';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { SettingsStore } from '../../src/core/storage/stores/settings-store';
import { openTracesDatabase } from '../../src/core/storage/traces/open-traces-database';
import { tempDir } from '../helpers/temp-dir';

const SECRET = 'walkeptcanary4410';
const holds = (file: string): boolean => (existsSync(file) ? readFileSync(file).includes(Buffer.from(SECRET)) : false);

/** Two conversations, and another process (a backup tool, a second reader) holding a read transaction open. */
function setup() {
  const dir = tempDir();
  const file = join(dir, 'portcullis.db');
  const db = openDatabase(file);
  const traces = { file: join(dir, 'traces.db'), db: openTracesDatabase(join(dir, 'traces.db')).db };
  const audit = new RetentionCutLog(db);
  const service = new RetentionService({ db, file, traces, settings: new SettingsStore(db), audit, clock: { now: () => 1_000 } });
  const conversations = new ConversationStore(db);
  const messages = new MessageStore(db);
  for (const id of ['secret', 'other']) {
    conversations.create({ id, title: id, createdAt: 1, updatedAt: 1 });
    messages.append({ id: `${id}-m`, conversationId: id, turnId: 't', role: 'user', content: `${id === 'secret' ? SECRET : 'plain'} talk`, traceId: null, createdAt: 1 });
  }
  // While it is open no TRUNCATE can empty the WAL.
  const reader = new Database(file, { readonly: true });
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM messages').get();
  return { db, file, traces, audit, service, reader };
}

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
