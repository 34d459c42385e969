import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import type { SpanRecord } from '../../../shared/domain/span';
import type { Disposable } from '../../lifecycle/disposable';
import { waitWhileEqual } from '../wait-while-equal';
import { SpanStore, type SpanWriter } from '../stores/span-store';
import type { SpanWriterData, SpanWriterFailure, ToSpanWriter } from './span-writer-protocol';
import { keepWalWithin } from './wal-checkpointer';

export interface SpanWriterThreadOptions {
  /** The built thread entry (out/main/span-writer.js). */
  entry: string;
  /** `traces.db`: the thread stores spans there on its own connection. */
  tracesFile: string;
  /** `portcullis.db`: the thread checkpoints its WAL too. */
  mainFile: string;
  /** The main connection: its automatic WAL checkpoints are left to the thread while the thread runs. */
  mainDb: Database;
  /** A connection to `traces.db` on this thread, used to write spans itself if the thread ever stops. */
  fallbackDb: Database;
  checkpointEveryMs?: number;
  /** How long a read waits for the thread before reading anyway (default DRAIN_TIMEOUT_MS). */
  drainTimeoutMs?: number;
  /** Past this WAL length (pages), the periodic checkpoint waits for writers and starts the WAL over. */
  restartAbovePages?: number;
  /** A batch the thread could not store (counted as dropped by the caller). */
  onDropped(count: number, message: string): void;
  /** The thread stopped or a checkpoint failed: said once per problem, for the log. */
  onProblem(message: string): void;
}

/** How long a read waits for the thread to store what was handed to it before reading anyway. */
const DRAIN_TIMEOUT_MS = 5_000;
/** 16 MiB of 4 KiB pages: a few seconds of a busy agent's writes. */
const DEFAULT_RESTART_ABOVE_PAGES = 4_096;
/** SQLite's default: checkpoint once the WAL holds this many pages. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;

/**
 * Span batches are stored in `traces.db`, and both files' WALs checkpointed, on a worker thread with its own
 * connections: an insert of a batch (indexes, JSON) and a checkpoint (copy + fsync) take milliseconds, and on the
 * main thread they held up whichever tool call's answer arrived meanwhile. Spans have their own file because a
 * commit from another connection makes SQLite drop the main connection's page cache (docs/storage.md). Reads
 * first wait until the thread has stored everything handed to it (`drain`), so a finished turn's spans are
 * always visible. If the thread stops, spans are written on the main thread again and automatic checkpoints
 * come back: nothing is lost.
 */
export class SpanWriterThread implements SpanWriter, Disposable {
  private readonly worker: Worker;
  private readonly handled: Int32Array;
  private readonly fallback: SpanStore;
  private readonly failures: MessagePort;
  private posted = 0;
  /** Batches handed to the thread and not yet handled: written here if the thread stops first. */
  private unhandled: Array<{ seq: number; spans: readonly SpanRecord[] }> = [];
  /** Deleted traces: a batch written here after the thread stopped leaves their spans out. */
  private readonly forgotten = new Set<string>();
  private stopped = false;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: SpanWriterThreadOptions) {
    const progress = new SharedArrayBuffer(4);
    this.handled = new Int32Array(progress);
    this.fallback = new SpanStore(options.fallbackDb);
    const channel = new MessageChannel();
    this.failures = channel.port1;
    this.failures.on('message', (failure: SpanWriterFailure) => this.report(failure));
    this.failures.unref();
    const restartAbovePages = options.restartAbovePages ?? DEFAULT_RESTART_ABOVE_PAGES;
    const workerData: SpanWriterData = {
      tracesFile: options.tracesFile, mainFile: options.mainFile, progress, checkpointEveryMs: options.checkpointEveryMs ?? 1_000,
      restartAbovePages,
      failures: channel.port2,
    };
    this.worker = new Worker(options.entry, { workerData, transferList: [channel.port2] });
    this.worker.unref();
    this.worker.on('error', (error) => this.stop(`the span writer thread failed: ${error.message}`));
    this.worker.on('exit', (code) => this.stop(`the span writer thread exited (code ${code})`));
    options.mainDb.pragma('wal_autocheckpoint = 0');
    // The main connection writes portcullis.db's WAL, so it is the one that cuts it back as it starts over.
    keepWalWithin(options.mainDb, restartAbovePages);
  }

  /** Whether batches still go to the thread (false once it has stopped and the main thread writes them). */
  get running(): boolean {
    return !this.stopped;
  }

  write(spans: readonly SpanRecord[]): void {
    if (this.stopped) return this.fallback.insert(spans);
    const done = Atomics.load(this.handled, 0);
    while (this.unhandled.length > 0 && this.unhandled[0]!.seq <= done) this.unhandled.shift();
    const message: ToSpanWriter = { type: 'spans', seq: ++this.posted, spans };
    this.unhandled.push(message);
    this.worker.postMessage(message);
  }

  /** Blocks until the thread has handled every batch handed to it (or stopped, or DRAIN_TIMEOUT_MS passed). */
  drain(): void {
    const deadline = Date.now() + (this.options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS);
    for (;;) {
      const done = Atomics.load(this.handled, 0);
      const left = deadline - Date.now();
      if (done >= this.posted || this.stopped || left <= 0) break;
      waitWhileEqual(this.handled, done, Math.min(left, 50));
    }
    // A batch that failed said so before it counted as handled: take those reports now, not on a later tick.
    for (let received = receiveMessageOnPort(this.failures); received; received = receiveMessageOnPort(this.failures)) {
      this.report(received.message as SpanWriterFailure);
    }
  }

  /**
   * These traces were just deleted. A delete drains first, but a drain gives up after DRAIN_TIMEOUT_MS, and the
   * thread then stores the batches it was behind on anyway: the deleted conversation's trace came back, content
   * included. The thread handles messages in order, so it removes them right after storing those batches, and
   * stores no span of them again.
   */
  forget(traceIds: readonly string[]): void {
    if (traceIds.length === 0) return;
    for (const traceId of traceIds) this.forgotten.add(traceId);
    if (this.stopped) return;
    this.worker.postMessage({ type: 'forget', seq: ++this.posted, traceIds } satisfies ToSpanWriter);
  }

  /** Stores what is queued and ends the thread. */
  dispose(): Promise<void> {
    this.closing ??= this.stopped
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          // Held while it finishes, or a host that is only waiting for this would exit before the last batches.
          this.worker.ref();
          this.worker.once('exit', () => resolve());
          this.worker.postMessage({ type: 'close' } satisfies ToSpanWriter);
        });
    return this.closing;
  }

  private report(failure: SpanWriterFailure): void {
    if (failure.type === 'failed') this.options.onDropped(failure.count, failure.message);
    else this.options.onProblem(`the span writer could not checkpoint the database: ${failure.message}`);
  }

  private stop(why: string): void {
    if (this.stopped) return;
    this.stopped = true;
    const done = Atomics.load(this.handled, 0);
    const left = this.unhandled.filter((batch) => batch.seq > done);
    this.unhandled = [];
    if (!this.options.mainDb.open) return;
    this.options.mainDb.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    if (this.closing) return;
    // A batch is one transaction on the thread, stored before it counts as handled: a thread that ended between
    // the two stored all of it, so a batch whose first span is there is not written twice.
    for (const batch of left) {
      const spans = batch.spans.filter((span) => !this.forgotten.has(span.traceId));
      if (spans.length > 0 && !this.fallback.contains(spans[0]!)) this.fallback.insert(spans);
    }
    this.options.onProblem(`${why}; spans are written on the main thread from now on`);
  }
}
