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

const SECRET = 'retentionwalcanary5521';
const DAY = 86_400_000;
const holds = (file: string): boolean => (existsSync(file) ? readFileSync(file).includes(Buffer.from(SECRET)) : false);

/** An old conversation, and another process (a backup tool, a second reader) holding a read transaction open. */
function setup() {
  const dir = tempDir();
  const file = join(dir, 'portcullis.db');
  const db = openDatabase(file);
  const traces = { file: join(dir, 'traces.db'), db: openTracesDatabase(join(dir, 'traces.db')).db };
  const audit = new RetentionCutLog(db);
  const service = new RetentionService({ db, file, traces, settings: new SettingsStore(db), audit, clock: { now: () => 100 * DAY } });
  new ConversationStore(db).create({ id: 'secret', title: 'secret', createdAt: 1, updatedAt: 1 });
  new MessageStore(db).append({ id: 'm', conversationId: 'secret', turnId: 't', role: 'user', content: `${SECRET} talk`, traceId: null, createdAt: 1 });
  // While it is open no TRUNCATE can empty the WAL.
  const reader = new Database(file, { readonly: true });
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM messages').get();
  const close = () => {
    reader.close();
    db.close();
    traces.db.close();
  };
  return { db, file, audit, service, close };
}

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
    const startedAt = Date.now();
    const report = await service.run('purge now');
    expect(report).toMatchObject({ conversations: 1, note: expect.stringContaining(NOTE) });
    // One 5 s wait for the reader, not one before and one after giving free pages back.
    expect(Date.now() - startedAt).toBeLessThan(9_000);
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
