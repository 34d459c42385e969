/**
 * A retention cut in a process of its own, to be killed mid-cut (`tests/integration/retention.crash.test.ts`):
 * says `slice` on stdout after each slice it commits, `done` at the end.
 * Usage: node retention-cut-child.cjs <portcullis.db> <traces.db> <now> <slice ms>
 */
import { RetentionCutLog } from '../../src/core/retention/audit-sink';
import { RetentionService } from '../../src/core/retention/retention-service';
import { openDatabase } from '../../src/core/storage/database';
import { SettingsStore } from '../../src/core/storage/stores/settings-store';
import { openTracesConnection } from '../../src/core/storage/traces/open-traces-database';

const [file, tracesFile, now, sliceMs] = process.argv.slice(2) as [string, string, string, string];
const db = openDatabase(file);
const traces = openTracesConnection(tracesFile);
const service = new RetentionService({
  db, file, traces: { db: traces, file: tracesFile }, settings: new SettingsStore(db), audit: new RetentionCutLog(db), clock: { now: () => Number(now) },
  pacing: { sliceMs: Number(sliceMs), between: () => new Promise((resolve) => process.stdout.write('slice\n', () => setImmediate(resolve))) },
});
void Promise.resolve(service.run('purge now')).then(() => process.stdout.write('done\n'));
