import type { Database } from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportsFolder } from '../config/data-paths';

const MAIN_TABLES = ['conversations', 'messages', 'tool_calls', 'approvals', 'memories', 'settings', 'retention_cuts', 'audit_log'] as const;
const TRACES_TABLES = ['spans'] as const;

/** The two files an export reads: `portcullis.db` and `traces.db`. */
export interface ExportSources {
  main: Database;
  traces: Database;
}

/**
 * Everything Portcullis keeps, table by table, as plain rows. Each file is read in one transaction (a consistent
 * copy of it); spans come from `traces.db`.
 */
export function exportEverything(sources: ExportSources, exportedAt: number): Record<string, unknown> {
  const tables = { ...readTables(sources.main, MAIN_TABLES), ...readTables(sources.traces, TRACES_TABLES) };
  return { format: 'portcullis-export', version: 1, exportedAt, schemaVersion: sources.main.pragma('user_version', { simple: true }), tables };
}

function readTables(db: Database, names: readonly string[]): Record<string, unknown[]> {
  const present = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  return db.transaction(() => {
    const tables: Record<string, unknown[]> = {};
    for (const table of names) if (present.has(table)) tables[table] = db.prepare(`SELECT * FROM ${table}`).all();
    return tables;
  })();
}

/** Writes the export into `<dataDir>/exports/` and returns its path and row counts. */
export function writeExport(sources: ExportSources, dataDir: string, now: number): { file: string; rows: Record<string, number> } {
  const data = exportEverything(sources, now) as { tables: Record<string, unknown[]> };
  const dir = exportsFolder(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `portcullis-export-${new Date(now).toISOString().replaceAll(':', '-')}.json`);
  writeFileSync(file, JSON.stringify(data, null, 1), { mode: 0o600 });
  return { file, rows: Object.fromEntries(Object.entries(data.tables).map(([k, v]) => [k, v.length])) };
}
