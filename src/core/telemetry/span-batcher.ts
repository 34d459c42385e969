import type { Redactor } from '../redaction/redactor';
import type { RecordedSpan } from './recorded-span';
import { toSpanRecord } from './span-record';
import type { SpanSink } from './span-sink';

export interface SpanBatcherOptions {
  /** A full batch is handed on at once (backpressure, not loss), so the queue never grows without bound. */
  maxBatch?: number;
  /** How long a finished span may wait for its batch. */
  delayMs?: number;
}

/**
 * Holds finished spans and hands them to the sink in batches, converting and redacting each batch on the way:
 * that work (and the sink's one transaction per batch) happens once per batch, off the path of the steps being
 * traced. Redaction still happens before anything leaves the process or reaches a file.
 */
export class SpanBatcher {
  private queue: RecordedSpan[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly maxBatch: number;
  private readonly delayMs: number;

  constructor(
    private readonly sink: SpanSink,
    private readonly redactor: Redactor,
    options: SpanBatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 256;
    this.delayMs = options.delayMs ?? 100;
  }

  add(span: RecordedSpan): void {
    this.queue.push(span);
    if (this.queue.length >= this.maxBatch) this.flush();
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
    this.timer = null;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.sink.export(batch.map((span) => toSpanRecord(span, this.redactor)));
  }
}
