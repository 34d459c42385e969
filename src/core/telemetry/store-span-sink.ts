import type { SpanRecord } from '../../shared/domain/span';
import type { SpanSink } from './span-sink';

export interface StoreSpanSinkOptions {
  /** Writes one batch in a transaction; throws if it could not. */
  write(spans: readonly SpanRecord[]): void;
  /** Called with the spans lost when a write fails, so they are counted and logged, never silent. */
  onDropped(spans: readonly SpanRecord[], error: unknown): void;
  maxBatch?: number;
  delayMs?: number;
}

/**
 * Batches finished spans into the local store: one transaction per batch instead of one per span. A full
 * batch is written at once (backpressure, not loss), so the queue never grows without bound and the only
 * way to lose a span is a failed write, which is counted.
 */
export class StoreSpanSink implements SpanSink {
  private queue: SpanRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly maxBatch: number;
  private readonly delayMs: number;

  constructor(private readonly options: StoreSpanSinkOptions) {
    this.maxBatch = options.maxBatch ?? 256;
    this.delayMs = options.delayMs ?? 100;
  }

  export(spans: readonly SpanRecord[]): void {
    for (const span of spans) this.queue.push(span);
    if (this.queue.length >= this.maxBatch) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Writes whatever is queued now; readers call it first so a finished turn's spans are always visible. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    try {
      this.options.write(batch);
    } catch (error) {
      this.options.onDropped(batch, error);
    }
  }
}
