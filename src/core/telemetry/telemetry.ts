import { z } from 'zod';
import type { SpanRecord } from '../../shared/domain/span';
import { CaptureModeSchema, type CaptureMode, type TelemetryStatus, type TraceFilter, type TraceSummary } from '../../shared/domain/trace';
import type { Clock } from '../clock';
import type { Logger } from '../logging/logger';
import type { Redactor } from '../redaction/redactor';
import type { SettingsStore } from '../storage/stores/settings-store';
import type { SpanStore } from '../storage/stores/span-store';
import { CAPTURE_MODE_SETTING, DEFAULT_CAPTURE_MODE } from './content-capture';
import { OtlpHttpExporter } from './otlp-http-exporter';
import { toOtlpRequest, type OtlpTraceRequest } from './otlp-json';
import type { SpanSink } from './span-sink';
import { Tracer } from './tracer';

export const OTLP_ENDPOINT_SETTING = 'telemetry.otlpEndpoint';
export const RETENTION_DAYS_SETTING = 'telemetry.retentionDays';
const DROPPED_STORE = 'spans.dropped.store';
const DROPPED_OTLP = 'spans.dropped.otlp';
const DAY_MS = 86_400_000;

const EndpointSchema = z.string().url().nullable();

export interface TelemetryDeps {
  spans: SpanStore;
  settings: SettingsStore;
  redactor: Redactor;
  logger: Logger;
  clock: Clock;
  service: { name: string; version?: string };
  /** Overrides the stored collector endpoint (tests, `--otlp`). */
  otlpEndpoint?: string | null;
}

/**
 * The telemetry pipeline of one runtime: tracer → batcher (redacts each batch) → SQLite store (+ optional
 * OTLP/HTTP collector), with drop counters that persist, retention, and the capture mode setting.
 */
export class Telemetry {
  readonly tracer: Tracer;
  private otlp: OtlpHttpExporter | null = null;
  private captureModeValue: CaptureMode;
  private dropped = { store: 0, otlp: 0 };
  private retentionTimer: NodeJS.Timeout;

  constructor(private readonly deps: TelemetryDeps) {
    const { spans, settings, logger } = deps;
    this.dropped = { store: spans.counter(DROPPED_STORE), otlp: spans.counter(DROPPED_OTLP) };
    this.captureModeValue = settings.get(CAPTURE_MODE_SETTING, CaptureModeSchema, DEFAULT_CAPTURE_MODE);
    const endpoint = deps.otlpEndpoint !== undefined ? deps.otlpEndpoint : settings.get(OTLP_ENDPOINT_SETTING, EndpointSchema, null);
    this.setCollector(endpoint);
    const sink: SpanSink = {
      export: (finished) => {
        try {
          spans.insert(finished);
        } catch (error) {
          this.storeFailed(finished.length, error);
        }
        this.otlp?.export(finished);
        for (const span of finished) {
          if (span.status === 'error') logger.warn({ traceId: span.traceId, spanId: span.spanId, span: span.name, statusMessage: span.statusMessage }, 'step failed');
        }
      },
    };
    this.tracer = new Tracer(sink, { redactor: deps.redactor, captureMode: () => this.captureModeValue });
    this.applyRetention();
    this.retentionTimer = setInterval(() => this.applyRetention(), DAY_MS / 4);
    this.retentionTimer.unref();
  }

  get captureMode(): CaptureMode {
    return this.captureModeValue;
  }

  configure(change: { captureMode?: CaptureMode; otlpEndpoint?: string | null }): TelemetryStatus {
    const at = this.deps.clock.now();
    // The page shows the address masked where it holds a keychain secret's value, and a save sends back what it shows.
    const current = this.otlp?.endpoint ?? null;
    if (current !== null && change.otlpEndpoint === this.deps.redactor.maskKnownSecrets(current)) change = { ...change, otlpEndpoint: current };
    if (change.captureMode) this.captureModeValue = this.deps.settings.set(CAPTURE_MODE_SETTING, CaptureModeSchema, change.captureMode, at);
    if (change.otlpEndpoint !== undefined) {
      this.deps.settings.set(OTLP_ENDPOINT_SETTING, EndpointSchema, change.otlpEndpoint, at);
      void this.otlp?.flush();
      this.setCollector(change.otlpEndpoint);
    }
    return this.status();
  }

  listTraces(filter: TraceFilter): TraceSummary[] {
    this.tracer.flush();
    return this.deps.spans.listTraces(filter);
  }

  /** A trace's spans: those stored and, while its turn runs, the steps still under way. */
  spansOf(traceId: string): SpanRecord[] {
    this.tracer.flush();
    const stored = this.deps.spans.byTrace(traceId);
    const running = this.tracer.runningSpans(traceId);
    return running.length === 0 ? stored : [...stored, ...running].sort((a, b) => a.startTime - b.startTime);
  }

  exportTrace(spans: readonly SpanRecord[]): OtlpTraceRequest {
    return toOtlpRequest(spans, this.deps.service);
  }

  status(): TelemetryStatus {
    return {
      captureMode: this.captureModeValue,
      droppedSpans: { ...this.dropped },
      storedSpans: this.deps.spans.count() + this.tracer.queued,
      queuedSpans: this.tracer.queued + (this.otlp?.queued ?? 0),
      // The address is the person's setting, kept as typed (the collector may take a key in it); shown masked.
      otlp: this.deps.redactor.maskKnownSecrets({ endpoint: this.otlp?.endpoint ?? null, tracesUrl: this.otlp?.url ?? null, exportedSpans: this.otlp?.exported ?? 0, lastError: this.otlp?.lastError ?? null }),
    };
  }

  /** Every span finished so far is in the database when this returns (before deletes that must include them). */
  settle(): void {
    this.tracer.flush();
    this.deps.spans.settle();
  }

  /** Writes queued spans to the store and sends queued spans to the collector. */
  async flush(): Promise<void> {
    this.settle();
    await this.otlp?.flush();
  }

  async dispose(): Promise<void> {
    clearInterval(this.retentionTimer);
    await this.tracer.shutdown();
    await this.flush();
  }

  private setCollector(endpoint: string | null): void {
    this.otlp = endpoint
      ? new OtlpHttpExporter({
          endpoint,
          service: this.deps.service,
          onDropped: (count, reason) => {
            this.countDropped('otlp', count);
            this.deps.logger.warn({ spans: count, reason }, 'spans not delivered to the collector');
          },
        })
      : null;
  }

  /** Spans the store could not keep (here or on the span writer thread): counted as dropped and logged. */
  storeFailed(count: number, error: unknown): void {
    this.countDropped('store', count);
    this.deps.logger.error({ err: error, spans: count }, 'could not store spans; they are counted as dropped');
  }

  private countDropped(where: 'store' | 'otlp', count: number): void {
    this.dropped[where] += count;
    try {
      this.deps.spans.addToCounter(where === 'store' ? DROPPED_STORE : DROPPED_OTLP, count, this.deps.clock.now());
    } catch {
      // The in-memory count still reports it; the store is what failed.
    }
  }

  private applyRetention(): void {
    const days = this.deps.settings.get(RETENTION_DAYS_SETTING, z.number().int().min(1).max(3650), 30);
    const removed = this.deps.spans.deleteTracesEndedBefore(this.deps.clock.now() - days * DAY_MS);
    if (removed > 0) this.deps.logger.info({ removed, days }, 'removed spans past retention');
  }
}
