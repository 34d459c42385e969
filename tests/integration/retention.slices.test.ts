import { describe, expect, it } from 'vitest';
import { RetentionCutLog } from '../../src/core/retention/audit-sink';
import { CutUnderWayRecord } from '../../src/core/retention/cut-under-way';
import { RetentionStopped } from '../../src/core/retention/deletion-slices';
import { RetentionService } from '../../src/core/retention/retention-service';
import { SettingsStore } from '../../src/core/storage/stores/settings-store';
import { TurnClaimStore } from '../../src/core/storage/stores/turn-claim-store';
import { NOW, retentionHistory, rowsPerConversation, searchIndexesAgree } from '../helpers/retention-history';
import { tempDir } from '../helpers/temp-dir';

function setup(counts: { old: number; recent: number; calls?: number }, onSlice?: (slice: number) => void, processAlive?: (pid: number) => boolean) {
  const history = retentionHistory(tempDir(), counts);
  const { db, file, traces, tracesFile } = history;
  const audit = new RetentionCutLog(db);
  let slices = 0;
  const service = new RetentionService({
    db, file, traces: { db: traces, file: tracesFile }, settings: new SettingsStore(db), audit, clock: { now: () => NOW },
    pacing: { between: () => new Promise((resolve) => setImmediate(() => { slices++; onSlice?.(slices); resolve(); })) },
    ...(processAlive ? { processAlive } : {}),
  });
  service.update({ conversationDays: 30, traceDays: null, maxDatabaseMb: null });
  return { ...history, audit, service, slices: () => slices };
}

describe('retention in slices', () => {
  it('a cut of many conversations leaves the event loop free between slices: a timer set before it fires before it ends', async () => {
    const { db, service, audit, old, recent, messagesEach } = setup({ old: 40, recent: 3 });
    let firedAt: number | null = null;
    let deletedWhenFired = -1;
    const started = performance.now();
    setTimeout(() => {
      firedAt = performance.now() - started;
      deletedWhenFired = old.length - (db.prepare("SELECT count(*) FROM conversations WHERE id LIKE 'old%'").pluck().get() as number);
    }, 0);
    const report = await service.run('purge now');
    const tookMs = performance.now() - started;
    expect(firedAt, 'the timer fired while the cut ran').not.toBeNull();
    expect(firedAt!).toBeLessThan(tookMs);
    expect(deletedWhenFired).toBeLessThan(old.length);
    expect(report).toMatchObject({ reason: 'purge now', conversations: old.length, messages: old.length * messagesEach });
    expect([...rowsPerConversation(db).keys()].sort()).toEqual(recent);
    searchIndexesAgree(db);
    expect(audit.list()).toMatchObject([{ type: 'retention.cut', detail: { conversations: old.length, messages: old.length * messagesEach } }]);
  }, 60_000); // 60 conversations cut with secure-delete: 3 s alone, up to 13 s in a full run on a busy machine

  it('a second run asked for while one runs is that run: one cut, one audit entry, the same totals', async () => {
    const { service, audit, old } = setup({ old: 20, recent: 1 });
    const [first, second] = await Promise.all([service.run('periodic'), service.run('purge now')]);
    expect(first).toEqual(second);
    expect(first.conversations).toBe(old.length);
    expect(audit.list()).toHaveLength(1);
  });

  it('a conversation whose turn runs (claimed, here or in another process) is not deleted, even one claimed between two slices', async () => {
    let claimedLater = false;
    // Four calls a conversation, not ten: still a dozen slices or more, for a third of the work (with ten, a loaded
    // machine took more than 20 s for this case).
    const { db, service, audit, old } = setup({ old: 30, recent: 1, calls: 4 }, () => {
      if (claimedLater) return;
      claimedLater = true;
      // A turn starts in the newest old conversation while the cut is under way.
      new TurnClaimStore(db).claim(old.at(-1)!, { pid: 1, instance: 'other', turnId: 'late' }, NOW, () => true);
    });
    new TurnClaimStore(db).claim(old[0]!, { pid: 1, instance: 'other', turnId: 'running' }, NOW, () => true);
    const report = await service.run('purge now');
    expect(claimedLater).toBe(true);
    expect(report.conversations).toBe(old.length - 2);
    const left = rowsPerConversation(db);
    expect(left.get(old[0]!)?.conversation).toBe(true);
    expect(left.get(old.at(-1)!)?.conversation).toBe(true);
    expect(audit.list()[0]!.detail).toMatchObject({ conversations: old.length - 2, held: 2 });
  });

  it('"delete everything" also runs in slices and deletes what there was, with one audit entry', async () => {
    // Four calls a conversation, as above.
    const { db, traces, service, audit, old, recent, messagesEach, callsEach, slices } = setup({ old: 20, recent: 10, calls: 4 });
    const all = old.length + recent.length;
    const report = await service.deleteEverything();
    expect(slices()).toBeGreaterThan(1);
    expect(report).toMatchObject({ reason: 'delete everything', conversations: all, messages: all * messagesEach, spans: all * callsEach });
    expect(db.prepare('SELECT count(*) FROM conversations').pluck().get()).toBe(0);
    expect(traces.prepare('SELECT count(*) FROM spans').pluck().get()).toBe(0);
    searchIndexesAgree(db);
    expect(audit.list()).toMatchObject([{ type: 'retention.delete_everything', detail: { conversations: all } }]);
  });

  it('waits while another Portcullis on the folder runs a cut, then cuts what is left', async () => {
    const other = 4_000_000;
    let otherRuns = true;
    const { db, service, audit, old } = setup({ old: 10, recent: 1 }, undefined, (pid) => pid === other && otherRuns);
    const record = new CutUnderWayRecord(new SettingsStore(db));
    record.save({ type: 'retention.cut', reason: 'periodic', pid: other, startedAt: NOW, bytesBefore: 0, conversations: 0, messages: 0, spans: 0, memories: 0 }, NOW);
    let ended = false;
    const run = service.run('purge now').then((report) => ((ended = true), report));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(ended).toBe(false);
    expect(rowsPerConversation(db).size).toBe(old.length + 1);
    // The other process ends its cut (its entry written, its record cleared).
    record.clear(NOW);
    otherRuns = false;
    expect(await run).toMatchObject({ reason: 'purge now', conversations: old.length });
    expect(audit.list()).toMatchObject([{ detail: { reason: 'purge now', conversations: old.length } }]);
    expect(audit.list()[0]!.detail).not.toHaveProperty('resumed');
  });

  it('closing mid-cut stops between two slices; the next start finishes the cut with one entry', async () => {
    let stopping: Promise<void> | null = null;
    const { db, file, traces, tracesFile, service, audit, old, recent } = setup({ old: 20, recent: 1 }, (slice) => {
      if (slice === 3) stopping = service.stop();
    });
    await expect(service.run('periodic')).rejects.toBeInstanceOf(RetentionStopped);
    await stopping;
    const left = rowsPerConversation(db);
    expect(left.size).toBeGreaterThan(recent.length);
    expect(left.size).toBeLessThan(old.length + recent.length);
    expect(audit.list()).toEqual([]);
    const next = new RetentionService({ db, file, traces: { db: traces, file: tracesFile }, settings: new SettingsStore(db), audit, clock: { now: () => NOW } });
    expect(await next.run('start')).toMatchObject({ reason: 'periodic', conversations: old.length });
    expect(audit.list()).toMatchObject([{ detail: { conversations: old.length, resumed: true } }]);
  });
});
