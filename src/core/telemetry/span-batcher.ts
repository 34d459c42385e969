import type { Redactor } from '../redaction/redactor';
import type { RecordedSpan } from './recorded-span';
import { toSpanRecord } from './span-record';
import type { SpanSink } from './span-sink';

export interface SpanBatcherOptions {
  /** A full batch is handed on as soon as the current step yields (see `add`). */
  maxBatch?: number;
  /** How long a finished span may wait for its batch. */
  delayMs?: number;
}

/** Backpressure: a queue this many batches long is handed on at once, even in the middle of a step. */
const HARD_LIMIT_BATCHES = 4;

/**
 * Holds finished spans and hands them to the sink in batches, converting and redacting each batch on the way:
 * that work (and the sink's one transaction per batch) happens once per batch, off the path of the steps being
 * traced. Redaction still happens before anything leaves the process or reaches a file.
 */
export class SpanBatcher {
  private queue: RecordedSpan[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private readonly maxBatch: number;
  private readonly delayMs: number;

  constructor(
    private readonly sink: SpanSink,
    private readonly redactor: Redactor,
    options: SpanBatcherOptions = {},
  ) {
    // Small enough to convert while one MCP server answers one call (~130 µs here), docs/storage.md.
    this.maxBatch = options.maxBatch ?? 32;
    this.delayMs = options.delayMs ?? 100;
  }

  /**
   * A full batch is not converted inside the step that filled it (the tool call whose span ended last) but on
   * the next turn of the event loop: typically while the next call waits for its server, where the time is free.
   */
  add(span: RecordedSpan): void {
    this.queue.push(span);
    if (this.queue.length >= this.maxBatch * HARD_LIMIT_BATCHES) this.flush();
    else if (this.queue.length >= this.maxBatch) this.immediate ??= setImmediate(() => this.flush());
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Hands on whatever is queued now; readers call it first so a finished turn's spans are always visible. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.sink.export(batch.map((span) => toSpanRecord(span, this.redactor)));
  }
}
