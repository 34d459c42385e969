import type { SpanRecord } from '../../shared/domain/span';
import { toOtlpRequest } from './otlp-json';
import type { SpanSink } from './span-sink';

export interface OtlpHttpExporterOptions {
  /** The collector's base URL (e.g. http://127.0.0.1:4318); spans go to `<endpoint>/v1/traces`. */
  endpoint: string;
  service: { name: string; version?: string };
  headers?: Record<string, string>;
  onDropped(count: number, reason: string): void;
  maxQueue?: number;
  maxBatch?: number;
  delayMs?: number;
  timeoutMs?: number;
}

/**
 * Sends already-redacted spans to a collector over OTLP/HTTP JSON, in batches, one request at a time. A full
 * queue or a failed request counts its spans as dropped (reported, never silent); the local store still has them.
 */
export class OtlpHttpExporter implements SpanSink {
  private queue: SpanRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  exported = 0;
  lastError: string | null = null;

  constructor(private readonly options: OtlpHttpExporterOptions) {}

  /** The collector's base URL, as configured. */
  get endpoint(): string {
    return this.options.endpoint;
  }

  /** `/v1/traces` goes on the path: a query or fragment (a collector's token) stays after it, as it was. */
  get url(): string {
    const endpoint = this.options.endpoint;
    const pathEnds = endpoint.search(/[?#]/);
    const base = pathEnds < 0 ? endpoint : endpoint.slice(0, pathEnds);
    const rest = pathEnds < 0 ? '' : endpoint.slice(pathEnds);
    return `${base.replace(/\/+$/, '')}/v1/traces${rest}`;
  }

  get queued(): number {
    return this.queue.length;
  }

  export(spans: readonly SpanRecord[]): void {
    const room = (this.options.maxQueue ?? 20_000) - this.queue.length;
    if (spans.length > room) this.options.onDropped(spans.length - Math.max(room, 0), 'the collector queue is full');
    for (const span of spans.slice(0, Math.max(room, 0))) this.queue.push(span);
    if (this.queue.length >= (this.options.maxBatch ?? 512)) void this.pump();
    else if (!this.timer && this.queue.length > 0) {
      this.timer = setTimeout(() => void this.pump(), this.options.delayMs ?? 1_000);
      this.timer.unref();
    }
  }

  /** Sends everything queued and waits for it. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.sending) await this.pump();
  }

  private pump(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.sending) return this.sending;
    if (this.queue.length === 0) return Promise.resolve();
    const batch = this.queue.splice(0, this.options.maxBatch ?? 512);
    this.sending = this.send(batch).finally(() => {
      this.sending = null;
      if (this.queue.length > 0) void this.pump();
    });
    return this.sending;
  }

  private async send(batch: SpanRecord[]): Promise<void> {
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.options.headers },
        body: JSON.stringify(toOtlpRequest(batch, this.options.service)),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      if (!response.ok) throw new Error(`the collector answered HTTP ${response.status}`);
      await response.arrayBuffer();
      this.exported += batch.length;
      this.lastError = null;
    } catch (error) {
      this.lastError = `Could not send ${batch.length} spans to ${this.url}: ${(error as Error).message}`;
      this.options.onDropped(batch.length, this.lastError);
    }
  }
}
