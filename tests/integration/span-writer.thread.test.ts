import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SpanRecord } from '../../src/shared/domain/span';
import { openDatabase } from '../../src/core/storage/database';
import { SpanStore } from '../../src/core/storage/stores/span-store';
import { openTracesDatabase } from '../../src/core/storage/traces/open-traces-database';
import { SpanWriterThread, type SpanWriterThreadOptions } from '../../src/core/storage/writer/span-writer-thread';
import { builtSpanWriter, repoRoot } from '../helpers/paths';
import { until } from '../helpers/until';

function span(traceId: string, i: number): SpanRecord {
  return {
    traceId, spanId: `${traceId.slice(-8)}${String(i).padStart(8, '0')}`, parentSpanId: i === 0 ? null : `${traceId.slice(-8)}${'0'.repeat(8)}`,
    name: `step ${i}`, kind: i === 0 ? 'turn' : 'tool', startTime: 1_000 + i, endTime: 2_000 + i, status: 'ok', statusMessage: null,
    attributes: { 'gen_ai.tool.name': 'fs.read', 'portcullis.conversation.id': 'c1' },
  };
}

const trace = (n: number, spans = 4): SpanRecord[] => Array.from({ length: spans }, (_, i) => span(n.toString(16).padStart(32, '0'), i));

describe('span writer thread', () => {
  let dir: string;
  let file: string;
  let tracesFile: string;
  let main: Database;
  let spanDb: Database;
  const problems: string[] = [];
  const dropped: Array<{ count: number; message: string }> = [];
  const open: SpanWriterThread[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-span-writer-'));
    file = join(dir, 'portcullis.db');
    tracesFile = join(dir, 'traces.db');
    main = openDatabase(file);
    spanDb = openTracesDatabase(tracesFile).db;
    problems.length = 0;
    dropped.length = 0;
  });

  afterEach(async () => {
    for (const writer of open.splice(0)) await writer.dispose();
    spanDb.close();
    main.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(overrides: Partial<SpanWriterThreadOptions> = {}): SpanWriterThread {
    const writer = new SpanWriterThread({
      entry: builtSpanWriter, mainFile: file, tracesFile, mainDb: main, fallbackDb: spanDb, checkpointEveryMs: 20,
      onDropped: (count, message) => dropped.push({ count, message }),
      onProblem: (message) => problems.push(message),
      ...overrides,
    });
    open.push(writer);
    return writer;
  }

  it('stores batches on its own connection, and reads see every batch handed to it', () => {
    const writer = start();
    const store = new SpanStore(spanDb, writer);
    for (let n = 1; n <= 50; n++) store.insert(trace(n));
    // No wait here: the read drains the thread first.
    expect(store.count()).toBe(200);
    expect(store.byTrace(trace(50)[0]!.traceId).map((s) => s.name)).toEqual(['step 0', 'step 1', 'step 2', 'step 3']);
    expect(writer.running).toBe(true);
    expect(problems).toEqual([]);
  });

  it('stores spans in traces.db only: the main file sees no commit from the thread', () => {
    const writer = start({ checkpointEveryMs: 3_600_000 });
    const store = new SpanStore(spanDb, writer);
    main.exec('CREATE TABLE marker (x)');
    const mainWal = statSync(`${file}-wal`).size;
    for (let n = 1; n <= 50; n++) store.insert(trace(n));
    expect(store.count()).toBe(200);
    expect(statSync(`${file}-wal`).size).toBe(mainWal);
    expect(main.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'spans'").get()).toEqual({ n: 1 });
    expect(main.prepare('SELECT count(*) AS n FROM spans').get()).toEqual({ n: 0 });
  });

  it('reads still wait for the thread where the host thread may not block (Atomics.wait throws there)', () => {
    const wait = vi.spyOn(Atomics, 'wait').mockImplementation(() => {
      throw new TypeError('Atomics.wait cannot be called in this context');
    });
    try {
      const writer = start();
      const store = new SpanStore(spanDb, writer);
      for (let n = 1; n <= 30; n++) store.insert(trace(n));
      expect(store.count()).toBe(120);
      expect(wait).toHaveBeenCalled();
    } finally {
      wait.mockRestore();
    }
  });

  it('checkpoints the WAL for the main connection, whose automatic checkpoints it turned off', async () => {
    start();
    expect(main.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    main.exec('CREATE TABLE filler (x BLOB)');
    const before = statSync(file).size;
    const insert = main.prepare('INSERT INTO filler VALUES (randomblob(4000))');
    for (let i = 0; i < 300; i++) insert.run();
    // The main connection never checkpoints now, so only the thread can have moved these pages into the file.
    await expect.poll(() => statSync(file).size, { timeout: 5_000 }).toBeGreaterThan(before + 300 * 4_000);
  });

  it('checkpoints traces.db on its rounds too', async () => {
    const writer = start();
    const store = new SpanStore(spanDb, writer);
    const before = statSync(tracesFile).size;
    for (let n = 1; n <= 100; n++) store.insert(trace(n, 40));
    expect(store.count()).toBe(4_000);
    await expect.poll(() => statSync(tracesFile).size, { timeout: 5_000 }).toBeGreaterThan(before + 1_000_000);
  });

  it('checkpoints only on its rounds, not after each batch (SQLite would, with an fsync, once the WAL passes 1,000 pages)', () => {
    const writer = start({ checkpointEveryMs: 3_600_000 });
    const store = new SpanStore(spanDb, writer);
    const before = statSync(tracesFile).size;
    for (let n = 1; n <= 400; n++) store.insert(trace(n, 40));
    expect(store.count()).toBe(16_000);
    expect(statSync(`${tracesFile}-wal`).size).toBeGreaterThan(1_000 * 4_096);
    expect(statSync(tracesFile).size).toBe(before);
  });

  it('keeps the WAL bounded while the main connection never stops committing (a PASSIVE round alone never empties it)', async () => {
    const limitPages = 256; // 1 MiB
    const writer = start({ restartAbovePages: limitPages });
    // Once it has stored a batch, the thread is up and its checkpoint rounds are running.
    new SpanStore(spanDb, writer).insert(trace(1));
    writer.drain();
    main.pragma('synchronous = NORMAL');
    main.exec('CREATE TABLE filler (x BLOB)');
    const insert = main.prepare('INSERT INTO filler VALUES (randomblob(8000))');
    const wal = (): number => statSync(`${file}-wal`).size;
    // 6,000 commits of three pages each, in bursts with brief pauses (a busy agent: commits around each tool
    // call's round trip): about 75 MB of WAL frames in all.
    let largest = 0;
    for (let i = 0; i < 6_000; i++) {
      insert.run();
      if (i % 20 === 19) {
        largest = Math.max(largest, wal());
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    // Without starting it over past the limit the WAL ends up holding all of it (~125 MB measured); with it, about
    // a round's worth of commits.
    expect(largest).toBeLessThan(32 * 1024 * 1024);
    expect(main.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 6_000 });
    expect(problems).toEqual([]);
  });

  /** Commits `count` rows of two pages each on the main connection, without an fsync (as a read-only call's records). */
  function fill(count: number): void {
    main.pragma('synchronous = NORMAL');
    main.exec('CREATE TABLE IF NOT EXISTS filler (x BLOB)');
    const insert = main.prepare('INSERT INTO filler VALUES (randomblob(5000))');
    for (let i = 0; i < count; i++) insert.run();
  }

  it('starts a WAL past the limit over in place: the next commits write over its pages rather than empty the file and grow it again', async () => {
    start({ restartAbovePages: 64 });
    const before = statSync(file).size;
    fill(12); // past the limit (64 pages), within what the file keeps (4 × 64 pages)
    const wal = (): number => statSync(`${file}-wal`).size;
    const length = wal();
    expect(length).toBeGreaterThan(64 * 4_096);
    // Once a round has copied the pages into the file (and started the WAL over), the file still has them all.
    await expect.poll(() => statSync(file).size, { timeout: 5_000 }).toBeGreaterThan(before + 12 * 5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(wal()).toBe(length);
    fill(10);
    expect(wal()).toBe(length);
    expect(main.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 22 });
    expect(problems).toEqual([]);
  });

  it('cuts a WAL that one burst made longer than it keeps back to that length as it starts over', async () => {
    start({ restartAbovePages: 64, checkpointEveryMs: 200 });
    const kept = 4 * 64 * (main.pragma('page_size', { simple: true }) as number);
    const before = statSync(file).size;
    fill(300); // several MB: past what the file keeps, whichever round it straddles
    const wal = (): number => statSync(`${file}-wal`).size;
    expect(wal()).toBeGreaterThan(2 * kept);
    await expect.poll(() => statSync(file).size, { timeout: 5_000 }).toBeGreaterThan(before + 300 * 5_000);
    // The file has grown once the round has copied the pages, but the round ends with an fsync and RESTART, which a
    // loaded disk makes slow: a commit before that adds to the WAL, one after starts it over, cut back.
    await until('the WAL never started over at its kept length', () => (fill(1), wal()), (length) => length === kept, 5_000);
    expect(problems).toEqual([]);
  });

  it('counts a batch it could not store as dropped (known by the time a read returns), and goes on storing the next ones', () => {
    const writer = start();
    const store = new SpanStore(spanDb, writer);
    const broken = { ...span('f'.repeat(32), 0), name: null } as unknown as SpanRecord;
    store.insert([broken, ...trace(7, 2)]);
    store.insert(trace(8));
    expect(store.count()).toBe(4);
    expect(dropped).toEqual([{ count: 3, message: expect.stringContaining('NOT NULL') }]);
  });

  it('a trace deleted while the thread was stalled past the drain stays deleted once the thread catches up', async () => {
    const writer = start({ drainTimeoutMs: 50 });
    const store = new SpanStore(spanDb, writer);
    const deleted = trace(9);
    const traceId = deleted[0]!.traceId;
    // The thread stalls: it waits for the write lock this connection holds, past the read's drain.
    spanDb.exec('BEGIN IMMEDIATE');
    store.insert(deleted);
    store.insert(trace(10));
    writer.drain();
    // The delete goes ahead without those batches (as deleteConversationRows does), then tells the thread.
    spanDb.prepare('DELETE FROM spans WHERE trace_id = ?').run(traceId);
    spanDb.exec('COMMIT');
    writer.forget([traceId]);
    store.insert(deleted);
    // The thread handles batches in order: once the last one is stored, it has caught up (each read drains 50 ms only).
    const last = trace(11);
    store.insert(last);
    await until('the thread caught up', () => store.byTrace(last[0]!.traceId).length, (n) => n === 4);
    expect(store.byTrace(traceId)).toEqual([]);
    expect(store.count()).toBe(8);
    expect(readFileSync(`${tracesFile}-wal`).includes(Buffer.from(traceId.slice(-8)))).toBe(false);
  });

  it('when the thread dies, writes what it had not stored on the main thread and keeps going there', async () => {
    // A stand-in thread that takes three batches without storing them, then exits.
    const dying = join(dir, 'dying-writer.js');
    writeFileSync(dying, "const { parentPort } = require('node:worker_threads'); let n = 0; parentPort.on('message', () => { if (++n === 3) process.exit(1); });\n");
    const writer = start({ entry: dying });
    const store = new SpanStore(spanDb, writer);
    for (let n = 1; n <= 3; n++) store.insert(trace(n));
    await expect.poll(() => writer.running, { timeout: 5_000 }).toBe(false);
    store.insert(trace(4));
    expect(store.count()).toBe(16);
    expect(problems).toEqual([expect.stringContaining('exited (code 1); spans are written on the main thread from now on')]);
    expect(main.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
  });

  it('a batch the thread stored but died before marking handled is not written twice by the fallback', async () => {
    // A stand-in thread that stores the first batch in one transaction, as the real one does, and exits before
    // it marks the batch handled. Span ids are not a key (migration 010), so only the fallback's check stops a copy.
    const storing = join(dir, 'storing-writer.js');
    writeFileSync(storing, `
      const { parentPort, workerData } = require('node:worker_threads');
      const db = new (require(${JSON.stringify(join(repoRoot, 'node_modules', 'better-sqlite3'))}))(workerData.tracesFile);
      const insert = db.prepare('INSERT INTO spans (span_id, trace_id, parent_span_id, name, kind, start_time, end_time, status, attributes_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      parentPort.on('message', (m) => {
        db.transaction(() => { for (const s of m.spans) insert.run(s.spanId, s.traceId, s.parentSpanId, s.name, s.kind, s.startTime, s.endTime, s.status, JSON.stringify(s.attributes)); })();
        process.exit(1);
      });
    `);
    const writer = start({ entry: storing });
    const store = new SpanStore(spanDb, writer);
    for (let n = 1; n <= 3; n++) store.insert(trace(n));
    await expect.poll(() => writer.running, { timeout: 5_000 }).toBe(false);
    expect(store.count()).toBe(12);
    for (let n = 1; n <= 3; n++) expect(store.byTrace(trace(n)[0]!.traceId)).toHaveLength(4);
  });

  it('a missing thread entry falls back at once, and loses nothing', async () => {
    const writer = start({ entry: join(dir, 'missing.js') });
    const store = new SpanStore(spanDb, writer);
    store.insert(trace(1));
    await expect.poll(() => writer.running, { timeout: 5_000 }).toBe(false);
    expect(store.count()).toBe(4);
    expect(problems).toHaveLength(1);
  });

  it('stores what is still queued when disposed', async () => {
    const writer = start();
    const store = new SpanStore(spanDb, writer);
    for (let n = 1; n <= 20; n++) store.insert(trace(n, 8));
    await writer.dispose();
    open.splice(0);
    expect(new SpanStore(spanDb).count()).toBe(160);
    expect(problems).toEqual([]);
  });

  it('a host process that only waits for dispose exits with every batch stored', () => {
    // The thread is unref'd while it runs (it must not keep a finished process alive), so this needs its own process.
    const script = join(dir, 'dispose-then-exit.ts');
    writeFileSync(script, `
      import { openDatabase } from ${JSON.stringify(join(repoRoot, 'src/core/storage/database'))};
      import { openTracesDatabase } from ${JSON.stringify(join(repoRoot, 'src/core/storage/traces/open-traces-database'))};
      import { SpanStore } from ${JSON.stringify(join(repoRoot, 'src/core/storage/stores/span-store'))};
      import { SpanWriterThread } from ${JSON.stringify(join(repoRoot, 'src/core/storage/writer/span-writer-thread'))};
      const mainFile = ${JSON.stringify(file)};
      const tracesFile = ${JSON.stringify(tracesFile)};
      const main = openDatabase(mainFile);
      const traces = openTracesDatabase(tracesFile).db;
      const writer = new SpanWriterThread({ entry: ${JSON.stringify(builtSpanWriter)}, mainFile, tracesFile, mainDb: main, fallbackDb: traces, onDropped() {}, onProblem() {} });
      const store = new SpanStore(traces, writer);
      const span = (t: number, i: number) => ({ traceId: String(t).padStart(32, '0'), spanId: String(t * 100 + i).padStart(16, '0'), parentSpanId: null,
        name: 'step', kind: 'tool', startTime: i, endTime: i + 1, status: 'ok', statusMessage: null, attributes: {} });
      for (let t = 1; t <= 50; t++) store.insert(Array.from({ length: 10 }, (_, i) => span(t, i)) as never);
      void writer.dispose();
    `);
    execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, stdio: 'pipe' });
    expect(new SpanStore(spanDb).count()).toBe(500);
  });
});
