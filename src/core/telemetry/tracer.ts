import { performance } from 'node:perf_hooks';
import { ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Span, type Tracer as OtelTracer } from '@opentelemetry/api';
import { BasicTracerProvider, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import type { SpanAttributeValue, SpanKind } from '../../shared/domain/span';
import type { CaptureMode } from '../../shared/domain/trace';
import { newTraceId } from '../../shared/ids';
import { Redactor } from '../redaction/redactor';
import { activeContext, runInContext } from './active-context';
import { captureAttributes, DEFAULT_CAPTURE_MODE } from './content-capture';
import { RecordingSpanProcessor, SPAN_KIND_ATTRIBUTE } from './recording-span-processor';
import { randomHexId } from './span-ids';
import type { SpanSink } from './span-sink';

export type SpanAttributes = Record<string, SpanAttributeValue | undefined>;

/** A span being recorded; `setAttributes` adds what is learnt while the step runs. */
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

export interface TracerOptions {
  redactor?: Redactor;
  /** Read at each capture, so a settings change applies to the next step. */
  captureMode?: () => CaptureMode;
}

/** Lets `withTrace` choose the trace id up front (so the chat can link to it before the turn ends). */
class ChosenIdGenerator implements IdGenerator {
  next: string | null = null;
  generateTraceId(): string {
    const id = this.next ?? randomHexId(16);
    this.next = null;
    return id;
  }
  generateSpanId(): string {
    return randomHexId(8);
  }
}

function clean(attributes: SpanAttributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * Records spans for each step of a turn with the OpenTelemetry SDK. The parent is taken from the async
 * context, so nested `withSpan` calls form a tree without passing spans around. Finished spans are redacted
 * and handed to the sink (batched to SQLite and, if configured, a collector).
 */
export class Tracer {
  private readonly ids = new ChosenIdGenerator();
  private readonly provider: BasicTracerProvider;
  private readonly otel: OtelTracer;
  private readonly redactor: Redactor;
  private readonly captureMode: () => CaptureMode;

  constructor(sink: SpanSink, options: TracerOptions = {}) {
    this.redactor = options.redactor ?? new Redactor();
    this.captureMode = options.captureMode ?? (() => DEFAULT_CAPTURE_MODE);
    this.provider = new BasicTracerProvider({
      idGenerator: this.ids,
      spanProcessors: [new RecordingSpanProcessor(sink, this.redactor)],
      spanLimits: { attributeCountLimit: 256, eventCountLimit: 256 },
    });
    this.otel = this.provider.getTracer('portcullis');
  }

  /** Starts a new trace whose root span is this one; `traceId` may be chosen up front so callers can link to it. */
  withTrace<T>(kind: SpanKind, name: string, attributes: SpanAttributes, fn: (span: ActiveSpan) => Promise<T>, traceId: string = newTraceId()): Promise<T> {
    this.ids.next = traceId;
    return this.run(ROOT_CONTEXT, kind, name, attributes, fn);
  }

  withSpan<T>(kind: SpanKind, name: string, attributes: SpanAttributes, fn: (span: ActiveSpan) => Promise<T>): Promise<T> {
    return this.run(activeContext(), kind, name, attributes, fn);
  }

  /** Ends nothing; flushes what the processor holds. Spans still running are exported when they end. */
  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }

  private async run<T>(parent: ReturnType<typeof activeContext>, kind: SpanKind, name: string, initial: SpanAttributes, fn: (span: ActiveSpan) => Promise<T>): Promise<T> {
    const otelSpan = this.otel.startSpan(
      name,
      { attributes: { ...clean(initial), [SPAN_KIND_ATTRIBUTE]: kind }, startTime: performance.timeOrigin + performance.now() },
      parent,
    );
    this.ids.next = null;
    const span = this.wrap(otelSpan);
    try {
      return await runInContext(trace.setSpan(parent, otelSpan), () => fn(span));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      otelSpan.setStatus({ code: SpanStatusCode.ERROR, message });
      if (error instanceof Error) otelSpan.addEvent('exception', { 'exception.type': (error as { code?: string }).code ?? error.name, 'exception.message': message });
      throw error;
    } finally {
      otelSpan.end(performance.timeOrigin + performance.now());
    }
  }

  private wrap(otelSpan: Span): ActiveSpan {
    const { traceId, spanId } = otelSpan.spanContext();
    return {
      traceId,
      spanId,
      setAttributes: (attributes) => void otelSpan.setAttributes(clean(attributes)),
      setError: (message) => void otelSpan.setStatus({ code: SpanStatusCode.ERROR, message }),
      addEvent: (eventName, attributes = {}) => void otelSpan.addEvent(eventName, clean(attributes), performance.timeOrigin + performance.now()),
      captureContent: (key, value) => void otelSpan.setAttributes(captureAttributes(key, value, this.captureMode(), this.redactor)),
    };
  }
}
