import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { SpanAttributeValue, SpanKind, SpanRecord } from '../../shared/domain/span';
import { newSpanId, newTraceId } from '../../shared/ids';
import type { SpanSink } from './span-sink';

export type SpanAttributes = Record<string, SpanAttributeValue | undefined>;

/** A span being recorded; `setAttributes` adds what is learnt while the step runs. */
export interface ActiveSpan {
  readonly traceId: string;
  readonly spanId: string;
  setAttributes(attributes: SpanAttributes): void;
  /** Marks the span failed without throwing (e.g. a tool error returned to the model as data). */
  setError(message: string): void;
}

interface SpanContext {
  traceId: string;
  spanId: string;
}

/**
 * Records spans for each step of a turn. The parent is taken from the async context, so nested `withSpan` calls
 * form a tree without passing spans around. Times are epoch milliseconds with sub-millisecond precision.
 */
export class Tracer {
  private readonly context = new AsyncLocalStorage<SpanContext>();

  constructor(private readonly sink: SpanSink) {}

  /** Starts a new trace whose root span is this one; `traceId` may be chosen up front so callers can link to it. */
  withTrace<T>(
    kind: SpanKind,
    name: string,
    attributes: SpanAttributes,
    fn: (span: ActiveSpan) => Promise<T>,
    traceId: string = newTraceId(),
  ): Promise<T> {
    return this.run({ traceId, parentSpanId: null }, kind, name, attributes, fn);
  }

  withSpan<T>(kind: SpanKind, name: string, attributes: SpanAttributes, fn: (span: ActiveSpan) => Promise<T>): Promise<T> {
    const parent = this.context.getStore();
    const traceId = parent?.traceId ?? newTraceId();
    return this.run({ traceId, parentSpanId: parent?.spanId ?? null }, kind, name, attributes, fn);
  }

  private async run<T>(
    where: { traceId: string; parentSpanId: string | null },
    kind: SpanKind,
    name: string,
    initial: SpanAttributes,
    fn: (span: ActiveSpan) => Promise<T>,
  ): Promise<T> {
    const spanId = newSpanId();
    const attributes: Record<string, SpanAttributeValue> = {};
    const assign = (more: SpanAttributes): void => {
      for (const [key, value] of Object.entries(more)) if (value !== undefined) attributes[key] = value;
    };
    assign(initial);
    let status: SpanRecord['status'] = 'ok';
    let statusMessage: string | null = null;
    const span: ActiveSpan = {
      traceId: where.traceId,
      spanId,
      setAttributes: assign,
      setError: (message) => {
        status = 'error';
        statusMessage = message;
      },
    };
    const startTime = performance.timeOrigin + performance.now();
    try {
      return await this.context.run({ traceId: where.traceId, spanId }, () => fn(span));
    } catch (error) {
      status = 'error';
      statusMessage = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      this.sink.export([
        {
          traceId: where.traceId,
          spanId,
          parentSpanId: where.parentSpanId,
          name,
          kind,
          startTime,
          endTime: performance.timeOrigin + performance.now(),
          status,
          statusMessage,
          attributes,
        },
      ]);
    }
  }
}
