import type { Database, Statement } from 'better-sqlite3';
import type { Clock } from '../clock';
import { immediateTransaction } from '../storage/immediate-transaction';
import { guardWrite } from '../storage/storage-error';
import type { CutUnderWay, CutUnderWayRecord } from './cut-under-way';
import { sliceClock } from './deletion-slices';

/** Spans (or memories) deleted per statement; a slice runs statements until its time is up. */
const ROW_BATCH = 200;

export interface SlicedDeletionsDeps {
  /** `portcullis.db`: conversations, their messages, and memories. */
  db: Database;
  /** `traces.db`: spans. */
  tracesDb: Database;
  underWay: CutUnderWayRecord;
  clock: Clock;
  /** About how long one slice may run (`SlicePacing.sliceMs`). */
  sliceMs: number;
  /** Runs between two slices; it throws to stop there (Portcullis is closing). */
  between: () => Promise<void>;
  /** Traces a slice deleted, told right after its commit (`SpanWriterThread.forget`): their spans may still be on their way. */
  forgetSpans?: (traceIds: readonly string[]) => void;
}

/** A slice's totals so far, and whether there is more to delete. */
interface Slice {
  cut: CutUnderWay;
  more: boolean;
}

/** A statement's worth of spans, as a batch of `spans`, with the traces they belonged to. */
type SpanBatch = () => { deleted: number; more: boolean; traceIds: readonly string[] };

/**
 * The deletions of a retention cut, each in slices (`deletion-slices.ts`): one transaction of whole conversations,
 * or of statements' worth of spans or memories, at a time, with the cut's totals so far recorded with each slice
 * (`CutUnderWayRecord`), so a crash between two leaves nothing half-deleted and the next run knows how far it got.
 */
export class SlicedDeletions {
  private readonly messagesOf: Statement<[string], { n: number }>;
  private readonly tracesOf: Statement<[string], string>;
  private readonly deleteConversation: Statement<[string]>;
  private readonly deleteSpansBefore: Statement<[number], { trace_id: string }>;
  private readonly deleteSpansUpTo: Statement<[number], { trace_id: string }>;
  private readonly deleteTrace: Statement<[string]>;
  private readonly oldestTraceIds: Statement<[number], { trace_id: string }>;
  private readonly countTraces: Statement<[], { n: number }>;
  private readonly deleteMemoriesUpTo: Statement<[number]>;
  private readonly write: <T>(work: () => T) => T;
  private readonly writeTraces: <T>(work: () => T) => T;

  constructor(private readonly deps: SlicedDeletionsDeps) {
    const { db, tracesDb } = deps;
    this.messagesOf = db.prepare('SELECT count(*) AS n FROM messages WHERE conversation_id = ?');
    this.tracesOf = db.prepare<[string], string>('SELECT DISTINCT trace_id FROM messages WHERE conversation_id = ? AND trace_id IS NOT NULL').pluck();
    this.deleteConversation = db.prepare('DELETE FROM conversations WHERE id = ?');
    this.deleteSpansBefore = tracesDb.prepare(`DELETE FROM spans WHERE rowid IN (SELECT rowid FROM spans WHERE start_time < ? LIMIT ${ROW_BATCH}) RETURNING trace_id`);
    this.deleteSpansUpTo = tracesDb.prepare(`DELETE FROM spans WHERE rowid IN (SELECT rowid FROM spans WHERE rowid <= ? LIMIT ${ROW_BATCH}) RETURNING trace_id`);
    this.deleteTrace = tracesDb.prepare('DELETE FROM spans WHERE trace_id = ?');
    this.oldestTraceIds = tracesDb.prepare('SELECT trace_id FROM spans WHERE parent_span_id IS NULL ORDER BY start_time LIMIT ?');
    this.countTraces = tracesDb.prepare('SELECT count(*) AS n FROM spans WHERE parent_span_id IS NULL');
    this.deleteMemoriesUpTo = db.prepare(`DELETE FROM memories WHERE rowid IN (SELECT rowid FROM memories WHERE rowid <= ? LIMIT ${ROW_BATCH})`);
    this.write = immediateTransaction(db);
    this.writeTraces = immediateTransaction(tracesDb);
  }

  /**
   * Deletes the conversations `next` names, whole, with their messages counted; at most `limit` of them. With
   * `forgetTraces` ("delete everything") their traces are forgotten too, since their spans go as well.
   */
  conversations(start: CutUnderWay, next: () => string | undefined, limit = Infinity, forgetTraces = false): Promise<CutUnderWay> {
    let left = limit;
    return this.inSlices(start, (cut, goOn) => {
      const traceIds = new Set<string>();
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
            if (forgetTraces) for (const traceId of this.tracesOf.all(id)) traceIds.add(traceId);
            totals.conversations += this.deleteConversation.run(id).changes;
            left--;
          } while (goOn());
          if (totals.conversations !== cut.conversations) this.deps.underWay.save(totals, this.deps.clock.now());
          return { cut: totals, more };
        }),
      );
      this.forget(traceIds);
      return slice;
    });
  }

  /** Deletes the spans that started before `before`. */
  spansBefore(start: CutUnderWay, before: number): Promise<CutUnderWay> {
    return this.spans(start, rows(() => this.deleteSpansBefore.all(before)));
  }

  /** Deletes the spans up to rowid `upTo` (those there when "delete everything" was asked). */
  spansUpTo(start: CutUnderWay, upTo: number): Promise<CutUnderWay> {
    return this.spans(start, rows(() => this.deleteSpansUpTo.all(upTo)));
  }

  /** Deletes the oldest twentieth of the traces, whole traces a few at a time. */
  oldestTraces(start: CutUnderWay): Promise<CutUnderWay> {
    const traces = this.countTraces.get()!.n;
    // Spans whose root was never stored (dropped, or a trace cut off by a crash) go once no whole trace is left.
    if (traces === 0) return this.spansUpTo(start, highestRowid(this.deps.tracesDb, 'spans'));
    const ids = this.oldestTraceIds.all(Math.ceil(traces / 20)).map((row) => row.trace_id);
    // Whole traces, a few at a time.
    return this.spans(start, () => {
      let deleted = 0;
      const traceIds = ids.splice(0, 20);
      for (const traceId of traceIds) deleted += this.deleteTrace.run(traceId).changes;
      return { deleted, more: ids.length > 0, traceIds };
    });
  }

  /** Deletes the memories up to rowid `upTo` (those there when "delete everything" was asked). */
  memoriesUpTo(start: CutUnderWay, upTo: number): Promise<CutUnderWay> {
    return this.inSlices(start, (cut, goOn) =>
      guardWrite('the deletion', () =>
        this.write(() => {
          let deleted = 0;
          let last: number;
          do {
            last = this.deleteMemoriesUpTo.run(upTo).changes;
            deleted += last;
          } while (last === ROW_BATCH && goOn());
          const totals = { ...cut, memories: cut.memories + deleted };
          if (deleted > 0) this.deps.underWay.save(totals, this.deps.clock.now());
          return { cut: totals, more: last === ROW_BATCH };
        }),
      ),
    );
  }

  /** Runs `batch` in slices until it says none are left; counted in the record. */
  private spans(start: CutUnderWay, batch: SpanBatch): Promise<CutUnderWay> {
    return this.inSlices(start, (cut, goOn) => {
      const traceIds = new Set<string>();
      const slice = guardWrite('the retention run', () =>
        this.writeTraces(() => {
          let deleted = 0;
          let more: boolean;
          do {
            const step = batch();
            deleted += step.deleted;
            more = step.more;
            for (const traceId of step.traceIds) traceIds.add(traceId);
          } while (more && goOn());
          return { deleted, more };
        }),
      );
      this.forget(traceIds);
      if (slice.deleted === 0) return { cut, more: slice.more };
      // Another file: counted right after its commit (a crash in between loses only this slice's count).
      const counted = { ...cut, spans: cut.spans + slice.deleted };
      guardWrite('the retention run', () => this.write(() => this.deps.underWay.save(counted, this.deps.clock.now())));
      return { cut: counted, more: slice.more };
    });
  }

  /**
   * Tells the span writer thread the traces a slice just deleted: a cut settles spans first, but that gives up when
   * the thread is more than 5 s behind, and the batches it was behind on would bring them back once stored.
   */
  private forget(traceIds: ReadonlySet<string>): void {
    if (traceIds.size > 0) this.deps.forgetSpans?.([...traceIds]);
  }

  /** Runs `slice` (one transaction, told by `goOn` when its time is up) until it says nothing is left. */
  private async inSlices(start: CutUnderWay, slice: (cut: CutUnderWay, goOn: () => boolean) => Slice): Promise<CutUnderWay> {
    let cut = start;
    for (;;) {
      const done = slice(cut, sliceClock(this.deps.sliceMs));
      cut = done.cut;
      if (!done.more) return cut;
      await this.deps.between();
    }
  }
}

/** The highest rowid of `table` (0 when empty): rows up to it are there now, rows past it came later. */
export function highestRowid(db: Database, table: string): number {
  return db.prepare(`SELECT coalesce(max(rowid), 0) FROM ${table}`).pluck().get() as number;
}

/** A statement deleting up to ROW_BATCH rows (returning their traces), as a batch of `spans`. */
function rows(run: () => Array<{ trace_id: string }>): SpanBatch {
  return () => {
    const deleted = run();
    return { deleted: deleted.length, more: deleted.length === ROW_BATCH, traceIds: deleted.map((row) => row.trace_id) };
  };
}
