import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { SpanKind, SpanRecord } from '../../shared/domain/span';
import type { CaptureMode } from '../../shared/domain/trace';
import { newTraceId } from '../../shared/ids';
import { Redactor } from '../redaction/redactor';
import { activeSpan, runInSpan } from './active-context';
import { DEFAULT_CAPTURE_MODE } from './content-capture';
import { nowMs, RecordedSpan, type ActiveSpan, type SpanAttributes, type SpanRecorder } from './recorded-span';
import { SpanBatcher, type SpanBatcherOptions } from './span-batcher';
import { randomHexId } from './span-ids';
import { toSpanRecord } from './span-record';
import type { SpanSink } from './span-sink';
import { messageOf } from '../../shared/errors';

export type { ActiveSpan, SpanAttributes } from './recorded-span';

export interface TracerOptions {
  redactor?: Redactor;
  /** Read at each capture, so a settings change applies to the next step. */
  captureMode?: () => CaptureMode;
  batch?: SpanBatcherOptions;
}

function markFailed(span: RecordedSpan, error: unknown): void {
  const message = messageOf(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  if (error instanceof Error) span.recordException(error);
}

/**
 * Records spans for each step of a turn. Spans are OpenTelemetry API spans; the parent is taken from the async
 * context, so nested `withSpan` calls form a tree without passing spans around. Finished spans are batched,
 * redacted and handed to the sink (SQLite for the viewer and, if configured, a collector over OTLP).
 *
 * Why not the OpenTelemetry SDK's span objects: measured in `bench/telemetry.bench.ts`, they (with their
 * sampler, limits and processors) cost ~20 µs per span on the call's path and put tracing at +18% of a tool
 * call's p50; recording plain data and converting it per batch keeps tracing within its 5% budget. The stored
 * and exported data (names, attributes, events, status, ids, OTLP JSON) are the same.
 */
export class Tracer implements SpanRecorder {
  readonly captureMode: () => CaptureMode;
  private readonly batcher: SpanBatcher;
  private readonly redactor: Redactor;
  /** Steps under way, by trace: the live view of a running turn shows them with the finished ones. */
  private readonly running = new Map<string, Set<RecordedSpan>>();

  constructor(sink: SpanSink, options: TracerOptions = {}) {
    this.captureMode = options.captureMode ?? (() => DEFAULT_CAPTURE_MODE);
    this.redactor = options.redactor ?? new Redactor();
    this.batcher = new SpanBatcher(sink, this.redactor, options.batch);
  }

  /** A trace's steps still under way, as records (redacted) that end now and say they are in progress. */
  runningSpans(traceId: string): SpanRecord[] {
    const now = nowMs();
    return [...(this.running.get(traceId) ?? [])].map((span) => ({ ...toSpanRecord(span, this.redactor), endTime: Math.max(now, span.startTime), inProgress: true }));
  }

  /** Starts a new trace whose root span is this one; `traceId` may be chosen up front so callers can link to it. */
  withTrace<T>(kind: SpanKind, name: string, attributes: SpanAttributes, fn: (span: ActiveSpan) => Promise<T>, traceId: string = newTraceId(randomHexId)): Promise<T> {
    return this.run(new RecordedSpan(this, traceId, randomHexId(8), null, name, kind, attributes as Attributes), fn);
  }

  withSpan<T>(kind: SpanKind, name: string, attributes: SpanAttributes, fn: (span: ActiveSpan) => Promise<T>): Promise<T> {
    return this.run(this.child(kind, name, attributes), fn);
  }

  /**
   * A synchronous step with no steps inside it (a policy decision): recorded like `withSpan`, without entering
   * an async context, which is most of a span's cost.
   */
  withLeafSpan<T>(kind: SpanKind, name: string, attributes: SpanAttributes, fn: (span: ActiveSpan) => T): T {
    const span = this.child(kind, name, attributes);
    try {
      return fn(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /** Spans finished but not yet handed to the sink. */
  get queued(): number {
    return this.batcher.queued;
  }

  /** Hands every finished span to the sink now. Spans still running are handed on when they end. */
  flush(): void {
    this.batcher.flush();
  }

  async shutdown(): Promise<void> {
    this.batcher.flush();
  }

  onEnd(span: RecordedSpan): void {
    this.batcher.add(span);
  }

  private child(kind: SpanKind, name: string, attributes: SpanAttributes): RecordedSpan {
    const parent = activeSpan()?.spanContext();
    return parent
      ? new RecordedSpan(this, parent.traceId, randomHexId(8), parent.spanId, name, kind, attributes as Attributes)
      : new RecordedSpan(this, newTraceId(randomHexId), randomHexId(8), null, name, kind, attributes as Attributes);
  }

  private async run<T>(span: RecordedSpan, fn: (span: ActiveSpan) => Promise<T>): Promise<T> {
    let running = this.running.get(span.traceId);
    if (!running) this.running.set(span.traceId, (running = new Set()));
    running.add(span);
    try {
      return await runInSpan(span, () => fn(span));
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
      running.delete(span);
      if (running.size === 0) this.running.delete(span.traceId);
    }
  }
}
