import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { RetentionCutLog } from '../../src/core/retention/audit-sink';
import { RetentionService } from '../../src/core/retention/retention-service';
import { openDatabase } from '../../src/core/storage/database';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { SettingsStore } from '../../src/core/storage/stores/settings-store';
import { openTracesDatabase } from '../../src/core/storage/traces/open-traces-database';
import { tempDir } from './temp-dir';

/** Whether `file` (absent: no) holds `text` anywhere in its bytes. */
export const fileHolds = (file: string, text: string): boolean => (existsSync(file) ? readFileSync(file).includes(Buffer.from(text)) : false);

/**
 * A retention service over a fresh portcullis.db with one conversation per entry of `conversations` (id → its one
 * message's text, both created at time 1), and another process (a backup tool, a second reader) holding a read
 * transaction open on the file, so that no TRUNCATE can empty its WAL. `close` ends the reader and both databases.
 */
export function retentionBesideHeldReader(conversations: Record<string, string>, now: number): {
  db: Database;
  file: string;
  traces: { file: string; db: Database };
  audit: RetentionCutLog;
  service: RetentionService;
  reader: Database;
  close: () => void;
} {
  const dir = tempDir();
  const file = join(dir, 'portcullis.db');
  const db = openDatabase(file);
  const traces = { file: join(dir, 'traces.db'), db: openTracesDatabase(join(dir, 'traces.db')).db };
  const audit = new RetentionCutLog(db);
  const service = new RetentionService({ db, file, traces, settings: new SettingsStore(db), audit, clock: { now: () => now } });
  for (const [id, content] of Object.entries(conversations)) {
    new ConversationStore(db).create({ id, title: id, createdAt: 1, updatedAt: 1 });
    new MessageStore(db).append({ id: `${id}-m`, conversationId: id, turnId: 't', role: 'user', content, traceId: null, createdAt: 1 });
  }
  const reader = new BetterSqlite3(file, { readonly: true });
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM messages').get();
  const close = () => {
    reader.close();
    db.close();
    traces.db.close();
  };
  return { db, file, traces, audit, service, reader, close };
}
