import type { Database } from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TABLES = ['conversations', 'messages', 'tool_calls', 'approvals', 'spans', 'memories', 'settings', 'retention_cuts'] as const;

/** Everything the database holds, table by table, as plain rows (one read transaction: a consistent copy). */
export function exportEverything(db: Database, exportedAt: number): Record<string, unknown> {
  const present = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
  );
  return db.transaction(() => {
    const tables: Record<string, unknown[]> = {};
    for (const table of TABLES) if (present.has(table)) tables[table] = db.prepare(`SELECT * FROM ${table}`).all();
    if (present.has('audit_log')) tables.audit_log = db.prepare('SELECT * FROM audit_log').all();
    return { format: 'portcullis-export', version: 1, exportedAt, schemaVersion: db.pragma('user_version', { simple: true }), tables };
  })();
}

/** Writes the export into `<dataDir>/exports/` and returns its path and row counts. */
export function writeExport(db: Database, dataDir: string, now: number): { file: string; rows: Record<string, number> } {
  const data = exportEverything(db, now) as { tables: Record<string, unknown[]> };
  const dir = join(dataDir, 'exports');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `portcullis-export-${new Date(now).toISOString().replaceAll(':', '-')}.json`);
  writeFileSync(file, JSON.stringify(data, null, 1), { mode: 0o600 });
  return { file, rows: Object.fromEntries(Object.entries(data.tables).map(([k, v]) => [k, v.length])) };
}
