import { hash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { INDEXED_KINDS } from './indexed-kinds';

/**
 * An entry whose content a secrets scrub masked after it was chained: its sequence number, its hash as chained
 * (kept in its row, so the entries after it still follow it), and the digest of its content as masked.
 */
export interface MaskedEntry {
  seq: number;
  hash: string;
  digest: string;
}

/** The kind of the entry that declares masked entries, appended in the same transaction as the masking. */
export const MASKED_KIND = 'audit.masked';

/** What a declaration's digest covers: an entry's `data_json` as it is stored now. */
export function contentDigest(dataJson: string): string {
  return hash('sha256', dataJson, 'hex');
}

/**
 * Every masked entry the chain declares, by its sequence number, with the declaration's own (the latest one wins:
 * an entry masked twice, for two secrets, is declared twice). Only declarations the chain itself verifies count;
 * `AuditLog.verify` checks them as it walks.
 */
export function declaredMasks(db: Database): Map<number, MaskedEntry & { by: number }> {
  const declared = new Map<number, MaskedEntry & { by: number }>();
  const rows = db.prepare(`SELECT seq, data_json FROM audit_log WHERE kind = ? AND ${INDEXED_KINDS} ORDER BY seq`).all(MASKED_KIND) as Array<{ seq: number; data_json: string }>;
  for (const row of rows) {
    let entries: unknown;
    try {
      entries = (JSON.parse(row.data_json) as { entries?: unknown }).entries;
    } catch {
      continue;
    }
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as Array<Partial<MaskedEntry>>) {
      if (typeof entry.seq === 'number' && typeof entry.hash === 'string' && typeof entry.digest === 'string') {
        declared.set(entry.seq, { seq: entry.seq, hash: entry.hash, digest: entry.digest, by: row.seq });
      }
    }
  }
  return declared;
}
