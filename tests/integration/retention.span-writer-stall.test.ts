import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../src/shared/domain/span';
import { RetentionCutLog } from '../../src/core/retention/audit-sink';
import { RetentionService } from '../../src/core/retention/retention-service';
import { openDatabase } from '../../src/core/storage/database';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { SettingsStore } from '../../src/core/storage/stores/settings-store';
import { SpanStore } from '../../src/core/storage/stores/span-store';
import { openTracesDatabase } from '../../src/core/storage/traces/open-traces-database';
import { SpanWriterThread } from '../../src/core/storage/writer/span-writer-thread';
import { builtSpanWriter } from '../helpers/paths';
import { until } from '../helpers/until';

const NOW = 1_800_000_000_000;

function span(traceId: string, i: number): SpanRecord {
  return {
    traceId, spanId: `${traceId.slice(-8)}${String(i).padStart(8, '0')}`, parentSpanId: i === 0 ? null : `${traceId.slice(-8)}${'0'.repeat(8)}`,
    name: `step ${i}`, kind: i === 0 ? 'turn' : 'tool', startTime: 1_000 + i, endTime: 2_000 + i, status: 'ok', statusMessage: null,
    attributes: { 'gen_ai.tool.name': 'fs.read', 'portcullis.conversation.id': 'c1' },
  };
}

const trace = (n: number, spans = 4): SpanRecord[] => Array.from({ length: spans }, (_, i) => span(n.toString(16).padStart(32, '0'), i));

/**
 * Another thread holds traces.db's write lock for `ms`: the span writer thread waits for it (past the 50 ms drain
 * a deletion allows), and so does the deletion's own first write to traces.db, on this thread; both go on after.
 */
async function holdWriteLock(file: string, ms: number): Promise<Worker> {
  const blocker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const db = new (require('better-sqlite3'))(workerData.file);
     db.exec('BEGIN IMMEDIATE');
     parentPort.postMessage('locked');
     setTimeout(() => { db.exec('COMMIT'); db.close(); }, workerData.ms);`,
    { eval: true, workerData: { file, ms } },
  );
  await new Promise((resolve, reject) => {
    blocker.once('message', resolve);
    blocker.once('error', reject);
  });
  return blocker;
}

describe('retention cuts and "delete everything" while the span writer thread is stalled past the drain', () => {
  let dir: string;
  let tracesFile: string;
  let main: Database;
  let spanDb: Database;
  let writer: SpanWriterThread;
  let store: SpanStore;
  let service: RetentionService;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-retention-stall-'));
    const file = join(dir, 'portcullis.db');
    tracesFile = join(dir, 'traces.db');
    main = openDatabase(file);
    spanDb = openTracesDatabase(tracesFile).db;
    writer = new SpanWriterThread({
      entry: builtSpanWriter, mainFile: file, tracesFile, mainDb: main, fallbackDb: spanDb, checkpointEveryMs: 20, drainTimeoutMs: 50,
      onDropped: () => undefined, onProblem: () => undefined,
    });
    store = new SpanStore(spanDb, writer);
    service = new RetentionService({
      db: main, file, traces: { db: spanDb, file: tracesFile }, settings: new SettingsStore(main), audit: new RetentionCutLog(main), clock: { now: () => NOW },
      settleSpans: () => writer.drain(), forgetSpans: (traceIds) => writer.forget(traceIds),
    });
    new ConversationStore(main).create({ id: 'c1', title: 'c1', createdAt: 1, updatedAt: 1 });
    new MessageStore(main).append({ id: 'm1', conversationId: 'c1', turnId: 't', role: 'assistant', content: 'hi', traceId: trace(9)[0]!.traceId, createdAt: 1 });
  });

  afterEach(async () => {
    await writer.dispose();
    spanDb.close();
    main.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Hands a last batch over and waits until the thread has stored it: it has handled every batch before. */
  async function caughtUp(): Promise<void> {
    const last = trace(11);
    store.insert(last);
    await until('the thread caught up', () => store.byTrace(last[0]!.traceId).length, (n) => n === 4);
  }

  it('"delete everything" deletes the spans the thread stores after it, of a turn whose spans were all late', async () => {
    const late = trace(9);
    const blocker = await holdWriteLock(tracesFile, 500);
    store.insert(late);
    const report = await service.deleteEverything();
    expect(report).toMatchObject({ conversations: 1, messages: 1 });
    await caughtUp();
    await blocker.terminate();
    expect(store.byTrace(late[0]!.traceId)).toEqual([]);
  }, 30_000);

  it('a retention cut of old traces deletes the spans of them the thread stores after it', async () => {
    const old = trace(12);
    store.insert(old.slice(0, 2));
    await until('the first two stored', () => store.count(), (n) => n === 2);
    service.update({ conversationDays: null, traceDays: 1, maxDatabaseMb: null });
    const blocker = await holdWriteLock(tracesFile, 500);
    store.insert(old.slice(2));
    const report = await service.run('purge now');
    expect(report.spans).toBeGreaterThanOrEqual(2);
    await caughtUp();
    await blocker.terminate();
    expect(store.byTrace(old[0]!.traceId)).toEqual([]);
  }, 30_000);
});
