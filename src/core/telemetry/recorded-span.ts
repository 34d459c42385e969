import { SpanStatusCode, TraceFlags, type Attributes, type AttributeValue, type Exception, type Link, type Span, type SpanContext, type SpanStatus, type TimeInput } from '@opentelemetry/api';
import type { SpanAttributeValue, SpanKind } from '../../shared/domain/span';
import type { CaptureMode } from '../../shared/domain/trace';

export type SpanAttributes = Record<string, SpanAttributeValue | undefined>;

/** A span being recorded, as the steps of a turn see it; `setAttributes` adds what is learnt while the step runs. */
export interface ActiveSpan {
  readonly traceId: string;
  readonly spanId: string;
  setAttributes(attributes: SpanAttributes): void;
  /** Marks the span failed without throwing (e.g. a tool error returned to the model as data). */
  setError(message: string): void;
  /** A moment inside the step (a retry, a chunk, a decision), with its own attributes. */
  addEvent(name: string, attributes?: SpanAttributes): void;
  /** Records content (arguments, results, text) as the capture mode allows: nothing, its shape, or itself. */
  captureContent(key: string, value: unknown): void;
}

/** What a finished span goes to; it also knows the capture mode in force. */
export interface SpanRecorder {
  onEnd(span: RecordedSpan): void;
  captureMode(): CaptureMode;
}

/** Content to record as the mode (read when it was captured) allows; turned into attributes with the batch. */
export interface CapturedContent {
  key: string;
  value: unknown;
  mode: CaptureMode;
}

export interface RecordedEvent {
  name: string;
  time: number;
  attributes: Attributes;
}

/** Fixed for the process; reading `performance.timeOrigin` costs ~0.1 µs each time (a span reads the clock twice). */
const TIME_ORIGIN = performance.timeOrigin;

/** Wall-clock milliseconds with sub-millisecond precision. */
export const nowMs = (): number => TIME_ORIGIN + performance.now();

function toMs(time: TimeInput | undefined): number {
  if (time === undefined) return nowMs();
  if (typeof time === 'number') return time;
  if (time instanceof Date) return time.getTime();
  return time[0] * 1_000 + time[1] / 1e6;
}

/**
 * One step of a turn, recorded as plain data: an OpenTelemetry API `Span` (so it lives in the API's context and
 * anything speaking the API can read it) that keeps only what the stored record needs. Nothing is converted,
 * measured or redacted here; that happens per batch, off the step's path (see `SpanBatcher`).
 */
export class RecordedSpan implements Span, ActiveSpan {
  readonly startTime = nowMs();
  endTime = 0;
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  events: RecordedEvent[] | undefined;
  captured: CapturedContent[] | undefined;
  /** The caller's object until the first change, then a copy: callers may pass a shared literal. */
  attributes: Attributes;
  private ownsAttributes = false;
  private readonly context: SpanContext;

  constructor(
    private readonly recorder: SpanRecorder,
    readonly traceId: string,
    readonly spanId: string,
    readonly parentSpanId: string | null,
    public name: string,
    readonly kind: SpanKind,
    attributes: Attributes,
  ) {
    this.attributes = attributes;
    this.context = { traceId, spanId, traceFlags: TraceFlags.SAMPLED };
  }

  get ended(): boolean {
    return this.endTime !== 0;
  }

  spanContext(): SpanContext {
    return this.context;
  }

  setAttribute(key: string, value: AttributeValue): this {
    if (this.ended) return this;
    if (!this.ownsAttributes) this.copyAttributes();
    this.attributes[key] = value;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    if (this.ended) return this;
    if (!this.ownsAttributes) this.copyAttributes();
    Object.assign(this.attributes, attributes);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    const isTime = typeof attributesOrTime === 'number' || Array.isArray(attributesOrTime) || attributesOrTime instanceof Date;
    (this.events ??= []).push({ name, time: toMs(isTime ? attributesOrTime : time), attributes: isTime ? {} : (attributesOrTime ?? {}) });
    return this;
  }

  addLink(_link: Link): this {
    return this;
  }

  addLinks(_links: Link[]): this {
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (!this.ended) this.status = status;
    return this;
  }

  setError(message: string): void {
    this.setStatus({ code: SpanStatusCode.ERROR, message });
  }

  /** Keeps a reference: the step's arguments and results are not changed after they are captured. */
  captureContent(key: string, value: unknown): void {
    const mode = this.recorder.captureMode();
    if (!this.ended && mode !== 'off' && value !== undefined) (this.captured ??= []).push({ key, value, mode });
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const error = typeof exception === 'string' ? { name: 'Error', message: exception } : exception;
    const type = (error as { code?: string }).code ?? error.name ?? 'Error';
    this.addEvent('exception', { 'exception.type': type, 'exception.message': error.message ?? '' }, time);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.endTime = Math.max(toMs(endTime), this.startTime);
    this.recorder.onEnd(this);
  }

  private copyAttributes(): void {
    this.attributes = { ...this.attributes };
    this.ownsAttributes = true;
  }
}
