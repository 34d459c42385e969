import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { SpanAttributeValue, SpanRecord } from '../../shared/domain/span';
import type { Redactor } from '../redaction/redactor';
import { captureAttributes } from './content-capture';
import type { RecordedSpan } from './recorded-span';

function toAttributeValue(value: unknown, redactor: Redactor): SpanAttributeValue | undefined {
  if (typeof value === 'string') return redactor.redactText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return redactor.redactText(value.map(String).join(','));
  return undefined;
}

function toAttributes(attributes: Attributes, redactor: Redactor): Record<string, SpanAttributeValue> {
  const out: Record<string, SpanAttributeValue> = {};
  for (const key in attributes) {
    const converted = toAttributeValue(attributes[key], redactor);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

/** The stored (and exported) form of a finished span, with every string redacted on the way. */
export function toSpanRecord(span: RecordedSpan, redactor: Redactor): SpanRecord {
  const record: SpanRecord = {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: redactor.redactText(span.name),
    kind: span.kind,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status.code === SpanStatusCode.ERROR ? 'error' : 'ok',
    statusMessage: span.status.message ? redactor.redactText(span.status.message) : null,
    attributes: toAttributes(span.attributes, redactor),
  };
  for (const { key, value, mode } of span.captured ?? []) Object.assign(record.attributes, toAttributes(captureAttributes(key, value, mode, redactor), redactor));
  if (span.events) {
    record.events = span.events.map((event) => ({
      name: redactor.redactText(event.name),
      time: event.time,
      attributes: toAttributes(event.attributes, redactor),
    }));
  }
  return record;
}
