import { join, resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { systemClock } from '../src/core/clock';
import { DisposableStore, toDisposable } from '../src/core/lifecycle/disposable';
import { createFileLogger } from '../src/core/logging/logger';
import { Redactor } from '../src/core/redaction/redactor';
import { SettingsStore } from '../src/core/storage/stores/settings-store';
import { SpanStore } from '../src/core/storage/stores/span-store';
import { openTraceStorage } from '../src/core/storage/traces/trace-storage';
import { Telemetry } from '../src/core/telemetry/telemetry';

const spanWriterEntry = join(resolve(__dirname, '..'), 'out', 'main', 'span-writer.js');

/**
 * The telemetry pipeline as create-runtime wires it, for a benchmark: spans in their own file (next to `file`,
 * `<name>.traces.db`), batches stored and both WALs checkpointed by the span writer thread. With `:memory:` there
 * is one connection and no thread (an in-memory database cannot be shared with another connection).
 */
export function runtimeTelemetry(options: { db: Database; file: string; dataDir: string; otlpEndpoint?: string | null }) {
  const { db, file, dataDir } = options;
  const disposables = new DisposableStore();
  const redactor = new Redactor();
  const log = createFileLogger({ dataDir, redactor });
  disposables.add(toDisposable(() => log.close()));
  const traces = file === ':memory:'
    ? { db, writer: undefined }
    : openTraceStorage({
        mainDb: db, mainFile: file, tracesFile: file.replace(/(\.db)?$/, '.traces.db'), spanWriterEntry,
        onDropped: (count, message) => log.logger.error({ count }, message),
        onProblem: (message) => {
          throw new Error(`the span writer thread stopped, so this would not measure the runtime's wiring: ${message}`);
        },
      }, disposables);
  const spans = new SpanStore(traces.db, traces.writer);
  const telemetry = disposables.add(new Telemetry({
    spans, settings: new SettingsStore(db), redactor, logger: log.logger, clock: systemClock, service: { name: 'bench' },
    otlpEndpoint: options.otlpEndpoint ?? null,
  }));
  const close = (): Promise<void> => disposables.dispose();
  return { spans, telemetry, close };
}
