import { SpanStatusCode, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanKindSchema, type SpanAttributeValue, type SpanKind, type SpanRecord } from '../../shared/domain/span';
import type { Redactor } from '../redaction/redactor';
import type { SpanSink } from './span-sink';

/** Where the Portcullis step kind (turn, tool, ...) rides on an OpenTelemetry span. */
export const SPAN_KIND_ATTRIBUTE = 'portcullis.span.kind';

const hrToMs = ([seconds, nanos]: [number, number]): number => seconds * 1_000 + nanos / 1e6;

function toAttributeValue(value: unknown, redactor: Redactor): SpanAttributeValue | undefined {
  if (typeof value === 'string') return redactor.redactText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return redactor.redactText(value.map(String).join(','));
  return undefined;
}

function toAttributes(attributes: Record<string, unknown>, redactor: Redactor): Record<string, SpanAttributeValue> {
  const out: Record<string, SpanAttributeValue> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key === SPAN_KIND_ATTRIBUTE) continue;
    const converted = toAttributeValue(value, redactor);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

/** Converts a finished OpenTelemetry span into the stored record, redacting every string on the way. */
export function toSpanRecord(span: ReadableSpan, redactor: Redactor): SpanRecord {
  const kind = SpanKindSchema.safeParse(span.attributes[SPAN_KIND_ATTRIBUTE]);
  const { traceId, spanId } = span.spanContext();
  const record: SpanRecord = {
    traceId,
    spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    name: redactor.redactText(span.name),
    kind: (kind.success ? kind.data : 'turn') as SpanKind,
    startTime: hrToMs(span.startTime),
    endTime: hrToMs(span.endTime),
    status: span.status.code === SpanStatusCode.ERROR ? 'error' : 'ok',
    statusMessage: span.status.message ? redactor.redactText(span.status.message) : null,
    attributes: toAttributes(span.attributes, redactor),
  };
  if (span.events.length > 0) {
    record.events = span.events.map((event) => ({
      name: redactor.redactText(event.name),
      time: hrToMs(event.time),
      attributes: toAttributes(event.attributes ?? {}, redactor),
    }));
  }
  return record;
}

/**
 * The processor in front of the sinks: converts and redacts at the source, so nothing downstream (SQLite,
 * logs, the collector) ever sees a secret. Batching is the sink's job.
 */
export class RecordingSpanProcessor implements SpanProcessor {
  constructor(
    private readonly sink: SpanSink,
    private readonly redactor: Redactor,
  ) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    this.sink.export([toSpanRecord(span, this.redactor)]);
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
