import type { SpanRecord } from '../../shared/domain/span';

/** Where finished spans go (SQLite for the viewer; later also OTLP). Processors sit in front of sinks. */
export interface SpanSink {
  export(spans: readonly SpanRecord[]): void;
}
