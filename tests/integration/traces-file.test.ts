import BetterSqlite3 from 'better-sqlite3';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../src/shared/domain/span';
import { openDatabase } from '../../src/core/storage/database';
import { SPAN_COLUMNS, SpanStore } from '../../src/core/storage/stores/span-store';
import { moveSpansToTracesFile } from '../../src/core/storage/traces/move-spans-to-traces-file';
import { openTracesDatabase } from '../../src/core/storage/traces/open-traces-database';
import { StepScriptedModel as ScriptedModel } from '../helpers/step-scripted-model';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const count = (db: ReturnType<typeof openDatabase>, table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Recent enough that no retention setting removes them. */
const EPOCH = Date.now() - 3_600_000;

/** A finished trace of `spans` spans, as an older Portcullis stored them in portcullis.db. */
function trace(n: number, spans = 3): SpanRecord[] {
  const traceId = n.toString(16).padStart(32, '0');
  return Array.from({ length: spans }, (_, i) => ({
    traceId, spanId: `${n}`.padStart(8, '0') + `${i}`.padStart(8, '0'), parentSpanId: i === 0 ? null : `${n}`.padStart(8, '0') + '0'.repeat(8),
    name: i === 0 ? `old turn ${n}` : `step ${i}`, kind: i === 0 ? 'turn' : 'tool', startTime: EPOCH + 1_000 * n + i, endTime: EPOCH + 1_000 * n + 10 - i,
    status: 'ok', statusMessage: null, attributes: {},
  }));
}

/** A data folder whose portcullis.db holds spans and a drop counter, as before spans had their own file. */
function olderDataDir(traces: number): string {
  const dataDir = tempDir();
  const db = openDatabase(join(dataDir, 'portcullis.db'));
  const spans = new SpanStore(db);
  for (let n = 1; n <= traces; n++) spans.insert(trace(n));
  spans.addToCounter('spans.dropped.store', 5, 1);
  db.close();
  return dataDir;
}

describe('spans in their own file (traces.db)', () => {
  it("moves an older portcullis.db's spans and counters into traces.db at start, where the viewer finds them", async () => {
    const dataDir = olderDataDir(40);
    const t = startTestRuntime({ dataDir, model: new ScriptedModel([{ text: 'hi' }]) });
    const listed = await t.runtime.handlers['traces.list']({ limit: 500 });
    expect(listed).toHaveLength(40);
    expect((await t.runtime.handlers['traces.spans']({ traceId: trace(7)[0]!.traceId })).map((s) => s.name)).toEqual(['old turn 7', 'step 1', 'step 2']);
    expect((await t.runtime.handlers['telemetry.status']({})).droppedSpans.store).toBe(5);
    expect(readFileSync(join(dataDir, 'logs', 'portcullis.log'), 'utf8')).toContain('moved 120 spans');

    // New spans go to traces.db; portcullis.db keeps none.
    const conversation = await t.runtime.handlers['conversations.create']({});
    const result = await t.runtime.startTurn(conversation.id, 'hello').done;
    await t.runtime.telemetry.flush();
    expect((await t.runtime.handlers['traces.spans']({ traceId: result.traceId })).length).toBeGreaterThan(0);
    const main = openDatabase(t.runtime.paths.databaseFile);
    expect([count(main, 'spans'), count(main, 'telemetry_counters')]).toEqual([0, 0]);
    main.close();
  });

  it('a move cut off between the two files\' commits is finished by the next start, with no span or count twice', () => {
    const dataDir = olderDataDir(10);
    const main = openDatabase(join(dataDir, 'portcullis.db'));
    const tracesFile = join(dataDir, 'traces.db');
    const traces = openTracesDatabase(tracesFile).db;
    // The state a crash leaves when traces.db committed the copy and portcullis.db had not yet committed the delete.
    main.prepare('ATTACH DATABASE ? AS t').run(tracesFile);
    main.prepare(`INSERT INTO t.spans (${SPAN_COLUMNS}) SELECT ${SPAN_COLUMNS} FROM main.spans WHERE start_time < ?`).run(EPOCH + 6_000);
    main.exec('INSERT INTO t.telemetry_counters SELECT * FROM main.telemetry_counters; DETACH DATABASE t');
    expect([count(main, 'spans'), count(traces, 'spans')]).toEqual([30, 15]);

    expect(moveSpansToTracesFile(main, tracesFile)).toBe(30);
    expect([count(main, 'spans'), count(traces, 'spans')]).toEqual([0, 30]);
    expect(new SpanStore(traces).counter('spans.dropped.store')).toBe(5);
    expect(moveSpansToTracesFile(main, tracesFile)).toBe(0);
    main.close();
    traces.close();
  });

  it('a damaged traces.db is kept aside and an empty one started; the app starts and says so in the log', async () => {
    const dataDir = tempDir();
    const damaged = Buffer.from('not a database, but what was here stays');
    writeFileSync(join(dataDir, 'traces.db'), damaged);
    const t = startTestRuntime({ dataDir, model: new ScriptedModel([{ text: 'hi' }]) });
    const conversation = await t.runtime.handlers['conversations.create']({});
    const result = await t.runtime.startTurn(conversation.id, 'hello').done;
    expect((await t.runtime.handlers['traces.spans']({ traceId: result.traceId })).length).toBeGreaterThan(0);
    const kept = readdirSync(dataDir).filter((name) => /^traces\.db\.corrupt-.*\.bak$/.test(name));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(dataDir, kept[0]!))).toEqual(damaged);
    expect(readFileSync(join(dataDir, 'logs', 'portcullis.log'), 'utf8')).toMatch(/traces file .* was damaged; it was kept at .*corrupt/);
  });

  it('a traces.db from a newer Portcullis is kept aside, never changed', () => {
    const file = join(tempDir(), 'traces.db');
    openTracesDatabase(file).db.exec('PRAGMA user_version = 99; CREATE TABLE from_the_future (x)');
    const opened = openTracesDatabase(file);
    expect(opened.problem).toMatch(/written by a newer Portcullis; it was kept at .*newer-.*\.bak/);
    expect(count(opened.db, 'spans')).toBe(0);
    const backup = new BetterSqlite3(opened.problem!.match(/kept at (\S+\.bak)/)![1]!, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(99);
    backup.close();
    opened.db.close();
  });
});
