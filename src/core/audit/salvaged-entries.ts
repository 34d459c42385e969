import type { Database } from 'better-sqlite3';
import { INDEXED_KINDS } from './indexed-kinds';

/** The kind of the entry `portcullis db salvage` appends: what it saved, and which entries of the chain were lost. */
export const SALVAGED_KIND = 'database.salvaged';

/**
 * Entries `from`–`through` were lost with a damaged page; entry `by` (the salvage's) says so. `through` null: the
 * log's end could not be read, nor where it was (its anchor was lost too), so how many came after `from - 1` is unknown.
 */
export interface DeclaredLoss {
  from: number;
  through: number | null;
  by: number;
  at: number;
}

/**
 * Every range of entries a salvage declared lost. Only declarations the chain itself verifies count: `AuditLog.verify`
 * accepts a gap only where a later entry of the chain declares it.
 */
export function declaredLosses(db: Database): DeclaredLoss[] {
  const declared: DeclaredLoss[] = [];
  const rows = db.prepare(`SELECT seq, at, data_json FROM audit_log WHERE kind = ? AND ${INDEXED_KINDS} ORDER BY seq`).all(SALVAGED_KIND) as Array<{ seq: number; at: number; data_json: string }>;
  for (const row of rows) {
    let lost: unknown;
    let endUnknownAfter: unknown;
    try {
      ({ auditEntriesLost: lost, auditEndUnknownAfter: endUnknownAfter } = JSON.parse(row.data_json) as { auditEntriesLost?: unknown; auditEndUnknownAfter?: unknown });
    } catch {
      continue;
    }
    if (typeof endUnknownAfter === 'number') declared.push({ from: endUnknownAfter + 1, through: null, by: row.seq, at: row.at });
    if (!Array.isArray(lost)) continue;
    for (const range of lost as unknown[]) {
      if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number') declared.push({ from: range[0], through: range[1], by: row.seq, at: row.at });
    }
  }
  return declared;
}
