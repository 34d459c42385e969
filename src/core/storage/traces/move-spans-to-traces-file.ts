import type { Database } from 'better-sqlite3';
import { SPAN_COLUMNS } from '../stores/span-store';

/**
 * Moves the spans (and telemetry counters) an older `portcullis.db` holds into `traces.db`, once, at start, before
 * the span writer thread opens it. One transaction over both files; in WAL mode each file commits on its own, so
 * a crash between the two leaves the spans in both: the copy skips spans already there and counters already
 * moved, and the next start finishes the move. Returns how many spans were moved.
 */
export function moveSpansToTracesFile(mainDb: Database, tracesFile: string): number {
  const { waiting } = mainDb
    .prepare('SELECT EXISTS (SELECT 1 FROM spans) OR EXISTS (SELECT 1 FROM telemetry_counters) AS waiting')
    .get() as { waiting: number };
  if (!waiting) return 0;
  mainDb.prepare('ATTACH DATABASE ? AS traces').run(tracesFile);
  let moved: number;
  try {
    moved = mainDb.transaction(() => {
      const count = (mainDb.prepare('SELECT count(*) AS n FROM main.spans').get() as { n: number }).n;
      mainDb.exec(`
        INSERT INTO traces.spans (${SPAN_COLUMNS})
          SELECT ${SPAN_COLUMNS} FROM main.spans m
          WHERE NOT EXISTS (SELECT 1 FROM traces.spans t WHERE t.trace_id = m.trace_id AND t.span_id = m.span_id)
          ORDER BY m.rowid;
        INSERT OR IGNORE INTO traces.telemetry_counters (name, value, updated_at)
          SELECT name, value, updated_at FROM main.telemetry_counters;
        DELETE FROM main.spans;
        DELETE FROM main.telemetry_counters;
      `);
      return count;
    }).immediate();
  } finally {
    mainDb.exec('DETACH DATABASE traces');
  }
  // The freed pages go back to the file system (the file is in incremental auto-vacuum).
  mainDb.pragma('incremental_vacuum');
  return moved;
}
