import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/core/memory/memory-store';
import { RetentionCutLog } from '../../src/core/retention/audit-sink';
import { RetentionService } from '../../src/core/retention/retention-service';
import { writeExport } from '../../src/core/retention/data-export';
import { openDatabase } from '../../src/core/storage/database';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { SettingsStore } from '../../src/core/storage/stores/settings-store';
import { SpanStore } from '../../src/core/storage/stores/span-store';
import { openTracesDatabase } from '../../src/core/storage/traces/open-traces-database';
import { tempDir } from '../helpers/temp-dir';

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;
// One word, so the search index would hold it whole (it splits words at hyphens).
const SECRET = 'zebracanary7731';

function setup() {
  const dir = tempDir();
  const file = join(dir, 'portcullis.db');
  const db = openDatabase(file);
  const traces = { file: join(dir, 'traces.db'), db: openTracesDatabase(join(dir, 'traces.db')).db };
  const clock = { now: () => NOW };
  const audit = new RetentionCutLog(db);
  const service = new RetentionService({ db, file, traces, settings: new SettingsStore(db), audit, clock });
  const conversations = new ConversationStore(db);
  const messages = new MessageStore(db);
  const spans = new SpanStore(traces.db);
  const addConversation = (id: string, ageDays: number, text: string, count = 1) => {
    const at = NOW - ageDays * DAY;
    conversations.create({ id, title: id, createdAt: at, updatedAt: at });
    for (let i = 0; i < count; i++) {
      messages.append({ id: `${id}-m${i}`, conversationId: id, turnId: 't', role: 'user', content: `${text} ${i} ${'pad '.repeat(200)}`, traceId: null, createdAt: at });
    }
    spans.insert([{ traceId: `${id}`.padEnd(32, '0'), spanId: `${id}s`.padEnd(16, '0'), parentSpanId: null, name: 'turn', kind: 'turn', startTime: at, endTime: at + 1, status: 'ok', statusMessage: null, attributes: { text } }]);
  };
  return { db, traces, file, dir, service, audit, conversations, messages, spans, addConversation };
}

describe('retention', () => {
  it('keeps conversations and traces N days, records the cut in the audit sink, and deletes for real', async () => {
    const { db, traces, file, service, audit, conversations, addConversation } = setup();
    addConversation('old', 40, SECRET, 20);
    addConversation('new', 2, 'fresh talk');
    service.update({ conversationDays: 30, traceDays: 10, maxDatabaseMb: null });
    const report = await service.run('purge now');
    expect(report).toMatchObject({ reason: 'purge now', conversations: 1, messages: 20, spans: 1 });
    expect(conversations.list().map((c) => c.id)).toEqual(['new']);
    expect(audit.list()).toMatchObject([{ type: 'retention.cut', at: NOW, detail: { conversations: 1, messages: 20, settings: { conversationDays: 30 } } }]);
    db.close();
    traces.db.close();
    // secure_delete + checkpoint + incremental vacuum: the text is gone from both files and their WALs.
    for (const f of [file, traces.file]) {
      const bytes = Buffer.concat([readFileSync(f), existsSync(`${f}-wal`) ? readFileSync(`${f}-wal`) : Buffer.alloc(0)]);
      expect(bytes.includes(Buffer.from(SECRET)), f).toBe(false);
    }
  });

  it('a run that cuts nothing writes no audit entry', async () => {
    const { service, audit, addConversation } = setup();
    addConversation('new', 1, 'hello');
    expect(await service.run('periodic')).toMatchObject({ conversations: 0, messages: 0 });
    expect(audit.list()).toEqual([]);
  });

  it('caps the database size by removing the oldest conversations first', async () => {
    const { service, conversations, addConversation } = setup();
    for (let i = 0; i < 40; i++) addConversation(`c${String(i).padStart(2, '0')}`, 100 - i, `text ${i} ${'z'.repeat(2000)}`, 30);
    const before = service.databaseBytes();
    expect(before).toBeGreaterThan(2 * 1024 * 1024);
    service.update({ conversationDays: null, traceDays: null, maxDatabaseMb: 1 });
    const report = await service.run('purge now');
    expect(report.bytesAfter).toBeLessThanOrEqual(1024 * 1024);
    const left = conversations.list().map((c) => c.id);
    expect(left.length).toBeGreaterThan(0);
    expect(left).toContain('c39');
    expect(left).not.toContain('c00');
  });

  it('over the cap, the oldest traces go first: a cap the traces alone exceed costs no conversation', async () => {
    const { traces, service, conversations, spans, addConversation } = setup();
    for (let i = 0; i < 10; i++) addConversation(`c${i}`, 50 - i, `talk ${i}`, 5);
    // ~5 MB of traces (a big attribute each) next to ~100 KB of conversations.
    const traceId = (i: number) => `t${i}`.padEnd(32, '0');
    for (let i = 0; i < 600; i++) {
      const at = NOW - (600 - i) * 60_000;
      spans.insert([{ traceId: traceId(i), spanId: 'r'.padEnd(16, '0'), parentSpanId: null, name: 'turn', kind: 'turn', startTime: at, endTime: at + 1, status: 'ok', statusMessage: null, attributes: { output: 'x'.repeat(8_000) } }]);
    }
    expect(service.databaseBytes()).toBeGreaterThan(4 * 1024 * 1024);
    service.update({ conversationDays: null, traceDays: null, maxDatabaseMb: 1 });
    const report = await service.run('purge now');
    expect(report.bytesAfter).toBeLessThanOrEqual(1024 * 1024);
    expect(report).toMatchObject({ conversations: 0, messages: 0 });
    expect(conversations.list()).toHaveLength(10);
    const kept = (traces.db.prepare('SELECT trace_id FROM spans ORDER BY start_time').all() as { trace_id: string }[]).map((r) => r.trace_id);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.at(-1)).toBe(traceId(599));
    expect(kept).not.toContain(traceId(0));
  });

  it('a cap that only a WAL already copied into the file goes over cuts nothing: the WAL is emptied before the cap is checked', async () => {
    const { db, service, conversations, addConversation } = setup();
    for (let i = 0; i < 5; i++) addConversation(`c${i}`, 50 - i, `talk ${i}`);
    // The same page committed 600 times: a WAL of ~2.4 MB over a file of a few hundred KB (the span writer thread
    // keeps a WAL at its length once it has copied it, to be written over).
    db.exec('CREATE TABLE scratch (x BLOB)');
    db.prepare('INSERT INTO scratch VALUES (randomblob(100))').run();
    const update = db.prepare('UPDATE scratch SET x = randomblob(100)');
    for (let i = 0; i < 600; i++) update.run();
    db.pragma('wal_checkpoint(PASSIVE)');
    expect(service.databaseBytes()).toBeGreaterThan(2 * 1024 * 1024);
    service.update({ conversationDays: null, traceDays: null, maxDatabaseMb: 1 });
    const report = await service.run('purge now');
    expect(report).toMatchObject({ conversations: 0, spans: 0 });
    expect(conversations.list()).toHaveLength(5);
    expect(report.bytesAfter).toBeLessThanOrEqual(1024 * 1024);
  });

  it('exports everything to JSON, then deletes everything but keeps the audit chain', async () => {
    const { db, traces, dir, service, audit, addConversation } = setup();
    addConversation('a', 1, 'apples', 3);
    new MemoryStore(db).save({ id: 'k', content: 'likes apples', sourceMessageId: 'a-m0', conversationId: 'a', createdAt: NOW, updatedAt: NOW });
    const exported = writeExport({ main: db, traces: traces.db }, dir, NOW);
    expect(exported.rows).toMatchObject({ conversations: 1, messages: 3, memories: 1, spans: 1 });
    const json = JSON.parse(readFileSync(exported.file, 'utf8'));
    expect(json).toMatchObject({ format: 'portcullis-export', tables: { memories: [{ content: 'likes apples', source_message_id: 'a-m0' }] } });
    const report = await service.deleteEverything();
    expect(report).toMatchObject({ conversations: 1, messages: 3 });
    for (const table of ['conversations', 'messages', 'memories']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    expect(traces.db.prepare('SELECT count(*) AS n FROM spans').get()).toEqual({ n: 0 });
    expect(audit.list().map((e) => e.type)).toEqual(['retention.delete_everything']);
  });

  it('refuses invalid settings', async () => {
    const { service } = setup();
    expect(() => service.update({ conversationDays: 0, traceDays: null, maxDatabaseMb: null })).toThrow();
    expect(service.settings).toEqual({ conversationDays: null, traceDays: 30, maxDatabaseMb: null, privateChats: false });
  });
});
