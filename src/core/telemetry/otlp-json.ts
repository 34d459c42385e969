import type { SpanAttributeValue, SpanRecord } from '../../shared/domain/span';

/** OTLP/JSON (the protobuf JSON mapping of ExportTraceServiceRequest), as collectors accept on /v1/traces. */
export interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string;
  doubleValue?: number;
  boolValue?: boolean;
}
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events: { timeUnixNano: string; name: string; attributes: OtlpKeyValue[] }[];
  status: { code: number; message?: string };
}
export interface OtlpTraceRequest {
  resourceSpans: {
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: { scope: { name: string; version?: string }; spans: OtlpSpan[] }[];
  }[];
}

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;
const STATUS_OK = 1;
const STATUS_ERROR = 2;

/** Epoch ms (with a fraction) to a decimal nanosecond string, exactly: 1.7e18 is past a double's integers. */
export function msToUnixNano(ms: number): string {
  const whole = Math.floor(ms);
  const nanos = Math.round((ms - whole) * 1e6);
  return (BigInt(whole) * 1_000_000n + BigInt(nanos)).toString();
}

function anyValue(value: SpanAttributeValue): OtlpAnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

function keyValues(attributes: Record<string, SpanAttributeValue>): OtlpKeyValue[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

export function toOtlpSpan(span: SpanRecord): OtlpSpan {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    name: span.name,
    kind: span.kind === 'model' ? SPAN_KIND_CLIENT : SPAN_KIND_INTERNAL,
    startTimeUnixNano: msToUnixNano(span.startTime),
    endTimeUnixNano: msToUnixNano(span.endTime),
    attributes: keyValues({ ...span.attributes, 'portcullis.span.kind': span.kind }),
    events: (span.events ?? []).map((event) => ({ timeUnixNano: msToUnixNano(event.time), name: event.name, attributes: keyValues(event.attributes) })),
    status: span.status === 'error' ? { code: STATUS_ERROR, ...(span.statusMessage ? { message: span.statusMessage } : {}) } : { code: STATUS_OK },
  };
}

export function toOtlpRequest(spans: readonly SpanRecord[], service: { name: string; version?: string }): OtlpTraceRequest {
  const resource = keyValues({ 'service.name': service.name, ...(service.version ? { 'service.version': service.version } : {}) });
  return {
    resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: 'portcullis' }, spans: spans.map(toOtlpSpan) }] }],
  };
}
