import type { Database, Statement } from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import type { ConversationDeletion } from '../../shared/domain/conversation';
import {
  DEFAULT_RETENTION, RetentionSettingsSchema, type RetentionReport, type RetentionSettings, type RetentionSettingsInput,
} from '../../shared/domain/memory';
import type { Clock } from '../clock';
import type { SettingsStore } from '../storage/stores/settings-store';
import { deleteConversationRows } from '../storage/delete-conversation-rows';
import { immediateTransaction } from '../storage/immediate-transaction';
import { guardWrite } from '../storage/storage-error';
import { processAlive } from '../runtime/process-lock';
import type { AuditSink } from './audit-sink';
import { CutUnderWayRecord, type CutUnderWay } from './cut-under-way';
import { DEFAULT_SLICE_MS, nextTurnOfEventLoop, RetentionStopped, sliceClock, type SlicePacing } from './deletion-slices';

const DAY_MS = 86_400_000;
const SETTINGS_KEY = 'retention';
/** Spans (or memories) deleted per statement; a slice runs statements until its time is up. */
const ROW_BATCH = 200;
/** Free pages given back to the file system per step of the incremental vacuum. */
const VACUUM_PAGES = 2_000;
/** How often a run looks again while another process's cut is under way on the same folder. */
const OTHER_CUT_POLL_MS = 250;

/** One SQLite file and its connection. */
export interface DatabaseFile {
  db: Database;
  file: string;
}

export interface RetentionDeps extends DatabaseFile {
  /** `traces.db`: spans live there, and its size counts towards the cap. */
  traces: DatabaseFile;
  settings: SettingsStore;
  audit: AuditSink;
  clock: Clock;
  /** Puts every span finished so far into the file first, so a cut also removes the ones still on their way. */
  settleSpans?: () => void;
  /** Slices of the deletion and what runs between two (`deletion-slices.ts`). */
  pacing?: Partial<SlicePacing>;
  /** Whether the process that began a cut on record still runs (default: a signal 0 reaches it). */
  processAlive?: (pid: number) => boolean;
}

type Operation = 'cut' | 'everything';

/** A conversation a turn runs in (of this process or another on the folder) holds a claim: it is not deleted from under it. */
const NOT_CLAIMED = 'NOT EXISTS (SELECT 1 FROM turn_claims WHERE turn_claims.conversation_id = conversations.id)';

/**
 * Applies the person's retention settings: old conversations (with their messages, tool calls and approvals),
 * old traces (in `traces.db`), and the oldest conversations while the two files are over the cap. Deleted
 * content is overwritten (secure_delete), the WALs are truncated and free pages go back to the disk (incremental
 * vacuum). Every cut is appended to the audit sink; the audit chain itself is never cut here.
 *
 * Cuts and "delete everything" run in slices (`deletion-slices.ts`): each slice is one transaction of whole
 * conversations that also records how far the cut got (`CutUnderWayRecord`), so a crash between two leaves no
 * conversation half-deleted, and the next run finishes the cut and writes its one audit entry with the totals.
 * One operation runs at a time; a second request for the same one while it runs gets its report.
 */
export class RetentionService {
  private readonly oldestBefore: Statement<[number], { id: string }>;
  private readonly oldest: Statement<[], { id: string }>;
  private readonly firstUpTo: Statement<[number], { id: string }>;
  private readonly messagesOf: Statement<[string], { n: number }>;
  private readonly deleteConversationStatement: Statement<[string]>;
  private readonly claimedBefore: Statement<[number], { n: number }>;
  private readonly deleteSpansBefore: Statement<[number]>;
  private readonly deleteSpansUpTo: Statement<[number]>;
  private readonly deleteTrace: Statement<[string]>;
  private readonly oldestTraceIds: Statement<[number], { trace_id: string }>;
  private readonly deleteMemoriesUpTo: Statement<[number]>;
  private readonly countSpans: Statement<[], { n: number }>;
  private readonly countTraces: Statement<[], { n: number }>;
  private readonly write: <T>(work: () => T) => T;
  private readonly writeTraces: <T>(work: () => T) => T;
  private readonly underWay: CutUnderWayRecord;
  private readonly pacing: SlicePacing;
  /** The operation running or waiting last, which a second request for the same joins. */
  private latest: { operation: Operation; settings: string; report: Promise<RetentionReport> } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(private readonly deps: RetentionDeps) {
    const { db } = deps;
    const tracesDb = deps.traces.db;
    this.oldestBefore = db.prepare(`SELECT id FROM conversations WHERE updated_at < ? AND ${NOT_CLAIMED} ORDER BY updated_at, rowid LIMIT 1`);
    this.oldest = db.prepare(`SELECT id FROM conversations WHERE ${NOT_CLAIMED} ORDER BY updated_at, rowid LIMIT 1`);
    this.firstUpTo = db.prepare(`SELECT id FROM conversations WHERE rowid <= ? AND ${NOT_CLAIMED} ORDER BY rowid LIMIT 1`);
    this.messagesOf = db.prepare('SELECT count(*) AS n FROM messages WHERE conversation_id = ?');
    this.deleteConversationStatement = db.prepare('DELETE FROM conversations WHERE id = ?');
    this.claimedBefore = db.prepare(`SELECT count(*) AS n FROM conversations WHERE updated_at < ? AND NOT ${NOT_CLAIMED}`);
    this.deleteSpansBefore = tracesDb.prepare(`DELETE FROM spans WHERE rowid IN (SELECT rowid FROM spans WHERE start_time < ? LIMIT ${ROW_BATCH})`);
    this.deleteSpansUpTo = tracesDb.prepare(`DELETE FROM spans WHERE rowid IN (SELECT rowid FROM spans WHERE rowid <= ? LIMIT ${ROW_BATCH})`);
    this.deleteTrace = tracesDb.prepare('DELETE FROM spans WHERE trace_id = ?');
    this.oldestTraceIds = tracesDb.prepare('SELECT trace_id FROM spans WHERE parent_span_id IS NULL ORDER BY start_time LIMIT ?');
    this.deleteMemoriesUpTo = db.prepare(`DELETE FROM memories WHERE rowid IN (SELECT rowid FROM memories WHERE rowid <= ? LIMIT ${ROW_BATCH})`);
    this.countSpans = tracesDb.prepare('SELECT count(*) AS n FROM spans');
    this.countTraces = tracesDb.prepare('SELECT count(*) AS n FROM spans WHERE parent_span_id IS NULL');
    this.write = immediateTransaction(db);
    this.writeTraces = immediateTransaction(tracesDb);
    this.underWay = new CutUnderWayRecord(deps.settings);
    this.pacing = { sliceMs: deps.pacing?.sliceMs ?? DEFAULT_SLICE_MS, between: deps.pacing?.between ?? nextTurnOfEventLoop };
  }

  get settings(): RetentionSettings {
    return this.deps.settings.get(SETTINGS_KEY, RetentionSettingsSchema, DEFAULT_RETENTION);
  }

  update(settings: RetentionSettingsInput): RetentionSettings {
    return this.deps.settings.set(SETTINGS_KEY, RetentionSettingsSchema, RetentionSettingsSchema.parse(settings), this.deps.clock.now());
  }

  /** Puts every span finished so far into `traces.db` (they may still be on their way to the span writer thread). */
  settleSpans(): void {
    this.deps.settleSpans?.();
  }

  /**
   * Applies the settings, in slices; resolves with what was cut once it is done. `reason` goes into the audit entry
   * ("start", "periodic", "purge now"). A run asked for while one with the same settings runs (or waits) is that run.
   */
  run(reason: string): Promise<RetentionReport> {
    return this.enqueue('cut', JSON.stringify(this.settings), () => this.cut(reason));
  }

  /** Deletes every conversation, message, memory and trace, in slices; settings and the audit chain stay. */
  deleteEverything(): Promise<RetentionReport> {
    return this.enqueue('everything', '', () => this.deleteAll());
  }

  /**
   * Stops between two slices (Portcullis is closing): what was cut stays cut and recorded, the next run goes on
   * from there. Resolves once nothing runs.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.queue;
  }

  /**
   * Deletes one conversation the person chose, with its messages, tool calls, approvals and traces, overwritten
   * and reclaimed like a retention cut, and says so in the audit sink. Null when there is no such conversation.
   * One conversation is one slice: it runs at once, between two slices of a cut if one is under way.
   */
  deleteConversation(conversationId: string): ConversationDeletion | null {
    const { db, traces, clock } = this.deps;
    this.settleSpans();
    const deleted = guardWrite('the deletion', () => deleteConversationRows(db, traces.db, conversationId));
    if (!deleted) return null;
    this.reclaimAtOnce();
    this.deps.audit.append({ type: 'conversation.deleted', at: clock.now(), detail: { conversationId, ...deleted } });
    return deleted;
  }

  /** Both files (`portcullis.db` and `traces.db`) with their WALs, in bytes. */
  databaseBytes(): number {
    let bytes = 0;
    for (const { db, file } of this.files()) {
      const pages = db.pragma('page_count', { simple: true }) as number;
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      bytes += pages * pageSize + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
    }
    return bytes;
  }

  private enqueue(operation: Operation, settings: string, work: () => Promise<RetentionReport>): Promise<RetentionReport> {
    if (this.latest && this.latest.operation === operation && this.latest.settings === settings) return this.latest.report;
    const entry: { operation: Operation; settings: string; report: Promise<RetentionReport> } = { operation, settings, report: Promise.resolve() as never };
    // No longer joined once it has ended, before its callers hear so: a run they ask for next is a new one.
    entry.report = this.queue
      .then(() => {
        if (this.stopping) throw new RetentionStopped();
        return work();
      })
      .finally(() => {
        if (this.latest === entry) this.latest = null;
      });
    this.latest = entry;
    this.queue = entry.report.then(() => undefined, () => undefined);
    return entry.report;
  }

  private async cut(reason: string): Promise<RetentionReport> {
    const { clock } = this.deps;
    this.settleSpans();
    const fresh = (): CutUnderWay => ({
      type: 'retention.cut', reason, pid: process.pid, startedAt: clock.now(), bytesBefore: this.databaseBytes(), conversations: 0, messages: 0, spans: 0, memories: 0,
    });
    let cut = await this.begin(fresh);
    if (cut.type === 'retention.delete_everything') {
      // A "delete everything" a crash cut short is finished first: the person asked for it.
      await this.deleteEverythingOf(cut);
      cut = await this.begin(fresh);
    }
    const settings = this.settings;
    const now = clock.now();
    const { conversationDays, traceDays } = settings;
    if (conversationDays !== null) {
      const before = now - conversationDays * DAY_MS;
      cut = await this.deleteConversations(cut, () => this.oldestBefore.get(before)?.id);
    }
    if (traceDays !== null) {
      const before = now - traceDays * DAY_MS;
      cut = await this.deleteSpans(cut, RetentionService.rows(() => this.deleteSpansBefore.run(before).changes));
    }
    await this.reclaim();
    if (settings.maxDatabaseMb !== null) cut = await this.enforceCap(cut, settings.maxDatabaseMb * 1024 * 1024);
    const held = conversationDays === null ? 0 : this.claimedBefore.get(now - conversationDays * DAY_MS)!.n;
    const report = this.reportOf(cut);
    const total = report.conversations + report.messages + report.spans;
    this.finish('retention.cut', total > 0 ? { ...report, settings, ...(held > 0 ? { held } : {}), ...(cut.resumed ? { resumed: true } : {}) } : null);
    return report;
  }

  private async deleteAll(): Promise<RetentionReport> {
    const { db, traces } = this.deps;
    this.settleSpans();
    const highest = (database: Database, table: string): number => (database.prepare(`SELECT coalesce(max(rowid), 0) FROM ${table}`).pluck().get() as number);
    const fresh = (): CutUnderWay => ({
      type: 'retention.delete_everything', reason: 'delete everything', pid: process.pid, startedAt: this.deps.clock.now(), bytesBefore: this.databaseBytes(),
      conversations: 0, messages: 0, spans: 0, memories: 0,
      upTo: { conversation: highest(db, 'conversations'), memory: highest(db, 'memories'), span: highest(traces.db, 'spans') },
    });
    let cut = await this.begin(fresh);
    if (cut.type === 'retention.cut') {
      // A cut a crash ended before its entry was written: its entry says what it deleted, then everything goes.
      this.finish('retention.cut', { ...this.reportOf(cut), resumed: true });
      cut = await this.begin(fresh);
    }
    return this.deleteEverythingOf(cut);
  }

  private async deleteEverythingOf(start: CutUnderWay): Promise<RetentionReport> {
    const upTo = start.upTo!;
    let cut = await this.deleteMemories(start, upTo.memory);
    cut = await this.deleteConversations(cut, () => this.firstUpTo.get(upTo.conversation)?.id);
    cut = await this.deleteSpans(cut, RetentionService.rows(() => this.deleteSpansUpTo.run(upTo.span).changes));
    for (const file of this.files()) {
      file.db.exec('VACUUM');
      file.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    const report = this.reportOf(cut);
    this.finish('retention.delete_everything', { ...report, memories: cut.memories, ...(cut.resumed ? { resumed: true } : {}) });
    return report;
  }

  /**
   * Puts this run's cut on record, or takes over the one on record whose process has ended (a crash), to finish it.
   * While another Portcullis on the folder runs one, waits for it: two at once would count each other's rows.
   */
  private async begin(fresh: () => CutUnderWay): Promise<CutUnderWay> {
    const alive = this.deps.processAlive ?? processAlive;
    for (;;) {
      const begun = guardWrite('the retention run', () =>
        this.write(() => {
          const onRecord = this.underWay.get();
          if (onRecord && onRecord.pid !== process.pid && alive(onRecord.pid)) return null;
          const cut: CutUnderWay = onRecord ? { ...onRecord, pid: process.pid, resumed: true } : fresh();
          this.underWay.save(cut, this.deps.clock.now());
          return cut;
        }),
      );
      if (begun) return begun;
      await new Promise((resolve) => setTimeout(resolve, OTHER_CUT_POLL_MS));
      if (this.stopping) throw new RetentionStopped();
    }
  }

  /** The audit entry for the cut (none when `detail` is null) and the end of its record, in one transaction: once. */
  private finish(type: CutUnderWay['type'], detail: (RetentionReport & Record<string, unknown>) | null): void {
    const at = this.deps.clock.now();
    guardWrite('the retention run', () =>
      this.write(() => {
        if (detail) this.deps.audit.append({ type, at, detail });
        this.underWay.clear(at);
      }),
    );
  }

  private reportOf(cut: CutUnderWay): RetentionReport {
    return { reason: cut.reason, conversations: cut.conversations, messages: cut.messages, spans: cut.spans, bytesBefore: cut.bytesBefore, bytesAfter: this.databaseBytes() };
  }

  private saveUnderWay(cut: CutUnderWay): void {
    guardWrite('the retention run', () => this.write(() => this.underWay.save(cut, this.deps.clock.now())));
  }

  private async between(): Promise<void> {
    await this.pacing.between();
    if (this.stopping) throw new RetentionStopped();
  }

  /**
   * Deletes the conversations `next` names, whole, one slice (transaction) at a time, each slice recording the
   * totals so far with it; at most `limit` of them.
   */
  private async deleteConversations(start: CutUnderWay, next: () => string | undefined, limit = Infinity): Promise<CutUnderWay> {
    let cut = start;
    let left = limit;
    for (;;) {
      const goOn = sliceClock(this.pacing.sliceMs);
      const slice = guardWrite('the retention run', () =>
        this.write(() => {
          const totals = { ...cut };
          let more = true;
          do {
            const id = left > 0 ? next() : undefined;
            if (id === undefined) {
              more = false;
              break;
            }
            totals.messages += this.messagesOf.get(id)!.n;
            totals.conversations += this.deleteConversationStatement.run(id).changes;
            left--;
          } while (goOn());
          if (totals.conversations !== cut.conversations) this.underWay.save(totals, this.deps.clock.now());
          return { totals, more };
        }),
      );
      cut = slice.totals;
      if (!slice.more) return cut;
      await this.between();
    }
  }

  /** Runs `batch` (a statement's worth of spans) in slices until it says none are left; counted in the record. */
  private async deleteSpans(start: CutUnderWay, batch: () => { deleted: number; more: boolean }): Promise<CutUnderWay> {
    let cut = start;
    for (;;) {
      const goOn = sliceClock(this.pacing.sliceMs);
      const slice = guardWrite('the retention run', () =>
        this.writeTraces(() => {
          let deleted = 0;
          let more: boolean;
          do {
            const step = batch();
            deleted += step.deleted;
            more = step.more;
          } while (more && goOn());
          return { deleted, more };
        }),
      );
      if (slice.deleted > 0) {
        // Another file: counted right after its commit (a crash in between loses only this slice's count).
        cut = { ...cut, spans: cut.spans + slice.deleted };
        this.saveUnderWay(cut);
      }
      if (!slice.more) return cut;
      await this.between();
    }
  }

  /** A statement deleting up to ROW_BATCH spans, as a batch of `deleteSpans`. */
  private static rows(run: () => number): () => { deleted: number; more: boolean } {
    return () => {
      const deleted = run();
      return { deleted, more: deleted === ROW_BATCH };
    };
  }

  private async deleteMemories(start: CutUnderWay, upTo: number): Promise<CutUnderWay> {
    let cut = start;
    for (;;) {
      const goOn = sliceClock(this.pacing.sliceMs);
      const slice = guardWrite('the deletion', () =>
        this.write(() => {
          let deleted = 0;
          let last: number;
          do {
            last = this.deleteMemoriesUpTo.run(upTo).changes;
            deleted += last;
          } while (last === ROW_BATCH && goOn());
          const totals = { ...cut, memories: cut.memories + deleted };
          if (deleted > 0) this.underWay.save(totals, this.deps.clock.now());
          return { totals, more: last === ROW_BATCH };
        }),
      );
      cut = slice.totals;
      if (!slice.more) return cut;
      await this.between();
    }
  }

  private files(): DatabaseFile[] {
    return [this.deps, this.deps.traces];
  }

  /**
   * Over the cap, the oldest traces go first (they are diagnostics), then the oldest conversations, a twentieth at
   * a time. Traces first also means a cap that the traces alone exceed never costs a conversation while any
   * trace is left.
   */
  private async enforceCap(start: CutUnderWay, capBytes: number): Promise<CutUnderWay> {
    let cut = start;
    for (let guard = 0; guard < 1_000 && this.databaseBytes() > capBytes; guard++) {
      const before = cut;
      if (this.countSpans.get()!.n > 0) cut = await this.cutOldestTraces(cut);
      else cut = await this.deleteConversations(cut, () => this.oldest.get()?.id, Math.ceil(this.conversationCount() / 20));
      if (cut === before || (cut.spans === before.spans && cut.conversations === before.conversations)) return cut;
      await this.reclaim();
    }
    return cut;
  }

  private async cutOldestTraces(cut: CutUnderWay): Promise<CutUnderWay> {
    const traces = this.countTraces.get()!.n;
    // Spans whose root was never stored (dropped, or a trace cut off by a crash) go once no whole trace is left.
    if (traces === 0) {
      const upTo = this.deps.traces.db.prepare('SELECT coalesce(max(rowid), 0) FROM spans').pluck().get() as number;
      return this.deleteSpans(cut, RetentionService.rows(() => this.deleteSpansUpTo.run(upTo).changes));
    }
    const ids = this.oldestTraceIds.all(Math.ceil(traces / 20)).map((row) => row.trace_id);
    // Whole traces, a few at a time.
    return this.deleteSpans(cut, () => {
      let deleted = 0;
      for (const traceId of ids.splice(0, 20)) deleted += this.deleteTrace.run(traceId).changes;
      return { deleted, more: ids.length > 0 };
    });
  }

  private conversationCount(): number {
    return this.deps.db.prepare('SELECT count(*) FROM conversations').pluck().get() as number;
  }

  /** Moves committed deletes out of the WALs and returns free pages to the file system, a step at a time. */
  private async reclaim(): Promise<void> {
    for (const { db } of this.files()) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      if (db.pragma('auto_vacuum', { simple: true }) === 2) {
        let free = db.pragma('freelist_count', { simple: true }) as number;
        while (free > 0) {
          db.pragma(`incremental_vacuum(${VACUUM_PAGES})`);
          const left = db.pragma('freelist_count', { simple: true }) as number;
          if (left >= free) break;
          free = left;
          await this.between();
        }
      }
      db.pragma('wal_checkpoint(TRUNCATE)');
    }
  }

  /** `reclaim` in one go, for a single conversation's deletion (small). */
  private reclaimAtOnce(): void {
    for (const { db } of this.files()) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('incremental_vacuum');
      db.pragma('wal_checkpoint(TRUNCATE)');
    }
  }
}
