import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { AuditLog } from '../../src/core/audit/audit-log';
import { openDatabase } from '../../src/core/storage/database';
import { tempDir } from './temp-dir';

/** A fresh database whose audit log holds `n` policy decisions (seq 1…n, at 1001…1000+n), and the log. */
export function logWith(n: number): { db: Database; log: AuditLog } {
  const db = openDatabase(join(tempDir(), 'portcullis.db'));
  const log = new AuditLog(db);
  for (let i = 1; i <= n; i++) log.record({ kind: 'policy.decision', toolCallId: `tc${i}`, data: { effect: i % 2 ? 'allow' : 'ask', i } }, 1000 + i);
  return { db, log };
}
