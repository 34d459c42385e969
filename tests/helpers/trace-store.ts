import BetterSqlite3, { type Database } from 'better-sqlite3';
import { join } from 'node:path';
import { migrate } from '../../src/core/storage/migrate';
import { SpanStore } from '../../src/core/storage/stores/span-store';
import type { SpanRecord } from '../../src/shared/domain/span';
import { tempDir } from './temp-dir';

/** A traces database of the test's own, migrated, with its SpanStore; the test closes `db`. */
export function traceStore(): { db: Database; store: SpanStore } {
  const db = new BetterSqlite3(join(tempDir(), 'traces.db'));
  migrate(db);
  return { db, store: new SpanStore(db) };
}

/** A span of `kind` in a turn that started at `start` (a child 10 ms later), ended at `start` + 500: failed with `failed` as its message, or ok. */
export function spanAt(traceId: string, spanId: string, parentSpanId: string | null, kind: SpanRecord['kind'], start: number, failed?: string): SpanRecord {
  return {
    traceId, spanId, parentSpanId, kind, name: `${kind} ${spanId}`, startTime: start + (parentSpanId ? 10 : 0), endTime: start + 500,
    status: failed ? 'error' : 'ok', statusMessage: failed ?? null, attributes: {},
  };
}
