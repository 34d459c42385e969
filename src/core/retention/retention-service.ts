import { basename } from 'node:path';
import type { Statement } from 'better-sqlite3';
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
import { databaseBytes, reclaimSpace, reclaimSpaceAtOnce, vacuumWhole, type DatabaseFile } from './database-space';
import { DEFAULT_SLICE_MS, nextTurnOfEventLoop, RetentionStopped, type SlicePacing } from './deletion-slices';
import { highestRowid, SlicedDeletions } from './sliced-deletions';

const DAY_MS = 86_400_000;
const SETTINGS_KEY = 'retention';
/** How often a run looks again while another process's cut is under way on the same folder. */
const OTHER_CUT_POLL_MS = 250;

export interface RetentionDeps extends DatabaseFile {
  /** `traces.db`: spans live there, and its size counts towards the cap. */
  traces: DatabaseFile;
  settings: SettingsStore;
  audit: AuditSink;
  clock: Clock;
  /** Puts every span finished so far into the file first, so a cut also removes the ones still on their way. */
  settleSpans?: () => void;
  /** Deleted traces whose spans may still be on their way to the file (the span writer thread fell behind). */
  forgetSpans?: (traceIds: readonly string[]) => void;
  /** Slices of the deletion and what runs between two (`deletion-slices.ts`). */
  pacing?: Partial<SlicePacing>;
  /** Whether the process that began a cut on record still runs (default: a signal 0 reaches it). */
  processAlive?: (pid: number) => boolean;
}

type Operation = 'cut' | 'everything';

/** What a deletion whose WAL another program kept from being emptied tells the person. */
function walKeptNote(files: readonly string[]): string {
  const wals = files.map((file) => `${basename(file)}-wal`).join(' and ');
  return `Deleted, but another program was reading the database, so the deleted text stays in ${wals} until Portcullis next empties it (the next deletion, the next start or a clean close).`;
}

/** The audit entry's mention of the files whose WAL still holds the deleted text (none: nothing). */
function walKeptDetail(files: readonly string[]): { walKept?: string[] } {
  return files.length > 0 ? { walKept: files.map((file) => basename(file)) } : {};
}

/** A retention report that says so when the deleted text stays in a WAL for now. */
function withWalKeptNote(report: RetentionReport, files: readonly string[]): RetentionReport {
  return files.length > 0 ? { ...report, note: walKeptNote(files) } : report;
}

/** A conversation a turn runs in (of this process or another on the folder) holds a claim: it is not deleted from under it. */
const NOT_CLAIMED = 'NOT EXISTS (SELECT 1 FROM turn_claims WHERE turn_claims.conversation_id = conversations.id)';

/**
 * Applies the person's retention settings: old conversations (with their messages, tool calls and approvals),
 * old traces (in `traces.db`), and the oldest conversations while the two files are over the cap. Deleted
 * content is overwritten (secure_delete), the WALs are truncated and free pages go back to the disk (incremental
 * vacuum). Every cut is appended to the audit sink; the audit chain itself is never cut here.
 *
 * Cuts and "delete everything" run in slices (`SlicedDeletions`): each slice is one transaction of whole
 * conversations that also records how far the cut got (`CutUnderWayRecord`), so a crash between two leaves no
 * conversation half-deleted, and the next run finishes the cut and writes its one audit entry with the totals.
 * One operation runs at a time; a second request for the same one while it runs gets its report.
 */
export class RetentionService {
  private readonly oldestBefore: Statement<[number], { id: string }>;
  private readonly oldest: Statement<[], { id: string }>;
  private readonly firstUpTo: Statement<[number], { id: string }>;
  private readonly claimedBefore: Statement<[number], { n: number }>;
  private readonly countSpans: Statement<[], { n: number }>;
  private readonly write: <T>(work: () => T) => T;
  private readonly underWay: CutUnderWayRecord;
  private readonly pacing: SlicePacing;
  private readonly deletions: SlicedDeletions;
  /** The operation running or waiting last, which a second request for the same joins. */
  private latest: { operation: Operation; settings: string; report: Promise<RetentionReport> } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private stopping = false;
  /** The files whose WAL the last reclaim could not empty (another program read from it all along). */
  private walKept: string[] = [];

  constructor(private readonly deps: RetentionDeps) {
    const { db } = deps;
    const tracesDb = deps.traces.db;
    this.oldestBefore = db.prepare(`SELECT id FROM conversations WHERE updated_at < ? AND ${NOT_CLAIMED} ORDER BY updated_at, rowid LIMIT 1`);
    this.oldest = db.prepare(`SELECT id FROM conversations WHERE ${NOT_CLAIMED} ORDER BY updated_at, rowid LIMIT 1`);
    this.firstUpTo = db.prepare(`SELECT id FROM conversations WHERE rowid <= ? AND ${NOT_CLAIMED} ORDER BY rowid LIMIT 1`);
    this.claimedBefore = db.prepare(`SELECT count(*) AS n FROM conversations WHERE updated_at < ? AND NOT ${NOT_CLAIMED}`);
    this.countSpans = tracesDb.prepare('SELECT count(*) AS n FROM spans');
    this.write = immediateTransaction(db);
    this.underWay = new CutUnderWayRecord(deps.settings);
    this.pacing = { sliceMs: deps.pacing?.sliceMs ?? DEFAULT_SLICE_MS, between: deps.pacing?.between ?? nextTurnOfEventLoop };
    this.deletions = new SlicedDeletions({
      db, tracesDb, underWay: this.underWay, clock: deps.clock, sliceMs: this.pacing.sliceMs, between: () => this.between(), forgetSpans: deps.forgetSpans,
    });
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
    const found = guardWrite('the deletion', () => deleteConversationRows(db, traces.db, conversationId));
    if (!found) return null;
    const { traceIds, ...deleted } = found;
    this.deps.forgetSpans?.(traceIds);
    const kept = reclaimSpaceAtOnce(this.files());
    this.deps.audit.append({ type: 'conversation.deleted', at: clock.now(), detail: { conversationId, ...deleted, ...walKeptDetail(kept) } });
    return kept.length > 0 ? { ...deleted, note: walKeptNote(kept) } : deleted;
  }

  /** Both files (`portcullis.db` and `traces.db`) with their WALs, in bytes. */
  databaseBytes(): number {
    return databaseBytes(this.files());
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
      cut = await this.deletions.conversations(cut, () => this.oldestBefore.get(before)?.id);
    }
    if (traceDays !== null) {
      const before = now - traceDays * DAY_MS;
      cut = await this.deletions.spansBefore(cut, before);
    }
    await this.reclaim();
    // A WAL another program keeps from being emptied only grows with each deletion: measured against the cap, it
    // would cost every conversation. The cap waits for a run that can empty it (the hourly one, the next start).
    if (settings.maxDatabaseMb !== null && this.walKept.length === 0) cut = await this.enforceCap(cut, settings.maxDatabaseMb * 1024 * 1024);
    const held = conversationDays === null ? 0 : this.claimedBefore.get(now - conversationDays * DAY_MS)!.n;
    const total = cut.conversations + cut.messages + cut.spans;
    // A cut that deleted nothing has no deleted text to speak of.
    const kept = total > 0 ? this.walKept : [];
    const report = this.reportOf(cut);
    this.finish('retention.cut', total > 0 ? { ...report, settings, ...(held > 0 ? { held } : {}), ...(cut.resumed ? { resumed: true } : {}), ...walKeptDetail(kept) } : null);
    return withWalKeptNote(report, kept);
  }

  private async deleteAll(): Promise<RetentionReport> {
    const { db, traces } = this.deps;
    this.settleSpans();
    const fresh = (): CutUnderWay => ({
      type: 'retention.delete_everything', reason: 'delete everything', pid: process.pid, startedAt: this.deps.clock.now(), bytesBefore: this.databaseBytes(),
      conversations: 0, messages: 0, spans: 0, memories: 0,
      upTo: { conversation: highestRowid(db, 'conversations'), memory: highestRowid(db, 'memories'), span: highestRowid(traces.db, 'spans') },
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
    let cut = await this.deletions.memoriesUpTo(start, upTo.memory);
    cut = await this.deletions.conversations(cut, () => this.firstUpTo.get(upTo.conversation)?.id, Infinity, true);
    cut = await this.deletions.spansUpTo(cut, upTo.span);
    const kept = vacuumWhole(this.files());
    const report = this.reportOf(cut);
    this.finish('retention.delete_everything', { ...report, memories: cut.memories, ...(cut.resumed ? { resumed: true } : {}), ...walKeptDetail(kept) });
    return withWalKeptNote(report, kept);
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

  private async between(): Promise<void> {
    await this.pacing.between();
    if (this.stopping) throw new RetentionStopped();
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
      if (this.countSpans.get()!.n > 0) cut = await this.deletions.oldestTraces(cut);
      else cut = await this.deletions.conversations(cut, () => this.oldest.get()?.id, Math.ceil(this.conversationCount() / 20));
      if (cut === before || (cut.spans === before.spans && cut.conversations === before.conversations)) return cut;
      await this.reclaim();
      if (this.walKept.length > 0) return cut;
    }
    return cut;
  }

  private conversationCount(): number {
    return this.deps.db.prepare('SELECT count(*) FROM conversations').pluck().get() as number;
  }

  /** Moves committed deletes out of the WALs and returns free pages to the file system, a step at a time. */
  private async reclaim(): Promise<void> {
    this.walKept = await reclaimSpace(this.files(), () => this.between());
  }
}
