import { isSpanContextValid, TraceFlags } from '@opentelemetry/api';
import { activeSpan } from './active-context';

/**
 * The W3C `traceparent` of the running span (`00-<trace id>-<span id>-<flags>`), or null outside any span.
 * The MCP client puts it in `params._meta.traceparent` so servers can join the turn's trace.
 */
export function currentTraceparent(): string | null {
  const span = activeSpan();
  const ctx = span?.spanContext();
  if (!ctx || !isSpanContextValid(ctx)) return null;
  const flags = (ctx.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '01' : '00';
  return `00-${ctx.traceId}-${ctx.spanId}-${flags}`;
}

/** `params._meta` entries carrying the current trace context; empty outside a span. */
export function traceMeta(): { traceparent?: string } {
  const traceparent = currentTraceparent();
  return traceparent ? { traceparent } : {};
}
