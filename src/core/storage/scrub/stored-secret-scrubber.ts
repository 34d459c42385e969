import type { Database, Statement } from 'better-sqlite3';
import { AuditLog } from '../../audit/audit-log';
import { immediateTransaction } from '../immediate-transaction';
import { guardWrite } from '../storage-error';
import { scrubExportFiles } from './export-files';
import { scrubToolPinsFile } from './tool-pins-file';
import { AUDIT_TABLE, SCRUBBED_TABLES, type ScrubbedTable, type TextColumn } from './scrubbed-columns';
import { ValueMasker } from './value-masker';

/** What a scrub did: counts only, never a value. */
export interface ScrubReport {
  /** Values looked for (each with its encoded forms). */
  secrets: number;
  /** Values shorter than the redactor masks, left alone (masking them would mangle ordinary text). */
  tooShort: number;
  /**
   * Rows changed, per table (spans of both files together; `audit_log`: entries masked and declared on the chain;
   * `policy_user_rules`: "Always allow" rules masked and turned off).
   */
  rows: Record<string, number>;
  /** Files of `<data folder>/exports/` rewritten. */
  exports: number;
  /** Whether `tool-pins.json` was rewritten (the approved definitions of MCP tools). */
  toolPins: boolean;
  /** Whether both WALs were emptied afterwards; false when another connection kept reading through every try. */
  walsEmptied: boolean;
  ms: number;
}

export interface StoredSecretScrubberDeps {
  /** `portcullis.db`. */
  main: Database;
  /** `traces.db`. */
  traces: Database;
  /**
   * The private conversations' in-memory database (`PrivateSpace`): never on disk, but its rows are shown and read
   * back to the model for as long as the process runs, so they are masked as the files' rows are.
   */
  privateSpace?: Database;
  dataDir: string;
  /** Puts spans still on their way to `traces.db` into it first (the span writer thread's queue). */
  settleSpans?: () => void;
  /** Rows read (and at most written) per transaction. */
  batchRows?: number;
  /** Between two batches: other work on the files (a tool call's commits) runs here. Default: the next turn of the event loop. */
  pause?: () => Promise<void>;
}

const DEFAULT_BATCH_ROWS = 500;
const WAL_TRIES = 50;

/**
 * Masks secret values in what is already stored: rows written before the value was known as a secret (typed in a
 * chat before it was saved to the keychain, said back by a server before mcp.json's credential moved there) kept
 * it, since masking happens when a row is written. Every text column of `SCRUBBED_TABLES`, both files, the search
 * indexes (through their triggers; secure-delete takes the words out of the index), the files in `exports/`; then
 * both WALs are emptied so the old pages do not stay in them.
 *
 * Works beside a running Portcullis: rows are read a batch at a time outside any lock, and the rows that hold a
 * value are read again and rewritten in one `BEGIN IMMEDIATE` transaction per batch, so a row another process
 * changed meanwhile is masked as it is now, never overwritten with an older copy. A crash leaves each row either
 * masked or as it was; running the scrub again finishes it.
 */
export async function scrubStoredSecrets(deps: StoredSecretScrubberDeps, values: Iterable<string>): Promise<ScrubReport> {
  const started = performance.now();
  const masker = new ValueMasker(values);
  const report: ScrubReport = { secrets: masker.values, tooShort: masker.tooShort, rows: {}, exports: 0, toolPins: false, walsEmptied: true, ms: 0 };
  if (masker.values === 0) return report;
  const batchRows = deps.batchRows ?? DEFAULT_BATCH_ROWS;
  const pause = deps.pause ?? nextTurn;
  const dbOf = (table: ScrubbedTable): Database => (table.file === 'main' ? deps.main : deps.traces);
  const writers = new Map([deps.main, deps.traces].map((db) => [db, immediateTransaction(db)]));

  deps.settleSpans?.();
  for (const table of SCRUBBED_TABLES) {
    const db = dbOf(table);
    const changed = await scrubTable(db, writers.get(db)!, table, masker, batchRows, pause);
    report.rows[table.table] = (report.rows[table.table] ?? 0) + changed;
  }
  if (deps.privateSpace) {
    for (const [table, changed] of Object.entries(await scrubPrivateRows(deps.privateSpace, masker, batchRows, pause))) report.rows[table] = (report.rows[table] ?? 0) + changed;
  }
  report.rows[AUDIT_TABLE.table] = await scrubAuditLog(deps.main, masker, batchRows, pause);
  for (const db of [deps.main, deps.traces]) if (!(await emptyWal(db, pause))) report.walsEmptied = false;
  report.exports = scrubExportFiles(deps.dataDir, masker);
  report.toolPins = scrubToolPinsFile(deps.dataDir, masker);
  report.ms = Math.round(performance.now() - started);
  return report;
}

/**
 * Masks the values in the private conversations alone (`PrivateSpace`, in memory): for a value another process
 * stored, whose scrub of the files could not reach this process's memory. Rows changed, per table.
 */
export async function scrubPrivateSpace(db: Database, values: Iterable<string>): Promise<Record<string, number>> {
  const masker = new ValueMasker(values);
  return masker.values === 0 ? {} : scrubPrivateRows(db, masker, DEFAULT_BATCH_ROWS, nextTurn);
}

async function scrubPrivateRows(db: Database, masker: ValueMasker, batchRows: number, pause: () => Promise<void>): Promise<Record<string, number>> {
  const write = immediateTransaction(db);
  const rows: Record<string, number> = {};
  // One database holds all of a private conversation, its spans too: each table once.
  for (const table of SCRUBBED_TABLES.filter((t) => t.file === 'main')) rows[table.table] = (rows[table.table] ?? 0) + (await scrubTable(db, write, table, masker, batchRows, pause));
  return rows;
}

/** The total of `rows`: what a log line or the command's summary says. */
export function rowsScrubbed(report: ScrubReport): number {
  return Object.values(report.rows).reduce((sum, n) => sum + n, 0);
}

type Row = Record<string, unknown> & { rowid_: number };

function masked(column: TextColumn, value: unknown, masker: ValueMasker): string | null {
  if (typeof value !== 'string') return null;
  const out = column.json ? masker.maskJson(value) : masker.mask(value);
  return out === value ? null : out;
}

function holds(table: ScrubbedTable, row: Record<string, unknown>, masker: ValueMasker): boolean {
  return table.columns.some((column) => masked(column, row[column.name], masker) !== null);
}

async function scrubTable(
  db: Database, write: <T>(work: () => T) => T, table: ScrubbedTable, masker: ValueMasker, batchRows: number, pause: () => Promise<void>,
): Promise<number> {
  if (!hasTable(db, table.table)) return 0;
  const names = table.columns.map((column) => column.name);
  const read = db.prepare<[number], Record<string, unknown>>(`SELECT ${names.join(', ')} FROM ${table.table} WHERE rowid = ?`);
  const updates = new Map<string, Statement>();
  const update = (columns: string[]): Statement => {
    const key = columns.join(',');
    let statement = updates.get(key);
    if (!statement) {
      statement = db.prepare(`UPDATE ${table.table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE rowid = ?`);
      updates.set(key, statement);
    }
    return statement;
  };
  let changed = 0;
  for await (const hits of rowsHolding(db, table, masker, batchRows, pause)) {
    changed += guardWrite('the scrub of a secret from stored data', () =>
      write(() => {
        let rewritten = 0;
        for (const rowid of hits) {
          // Read again under the write lock: another process may have changed the row since the scan.
          const row = read.get(rowid);
          if (!row) continue;
          const set = table.columns.flatMap((column) => {
            const out = masked(column, row[column.name], masker);
            return out === null ? [] : [[column.name, out] as const];
          });
          if (set.length === 0) continue;
          set.push(...Object.entries(table.onMasked ?? {}));
          update(set.map(([name]) => name)).run(...set.map(([, out]) => out), rowid);
          rewritten++;
        }
        return rewritten;
      }),
    );
  }
  return changed;
}

/** Masks the audit entries that hold a value, a batch at a time, each batch declared on the chain (`AuditLog.mask`). */
async function scrubAuditLog(db: Database, masker: ValueMasker, batchRows: number, pause: () => Promise<void>): Promise<number> {
  const audit = new AuditLog(db);
  const mask = (dataJson: string): string | null => masked(AUDIT_TABLE.columns[0]!, dataJson, masker);
  let changed = 0;
  for await (const hits of rowsHolding(db, AUDIT_TABLE, masker, batchRows, pause)) {
    changed += guardWrite('the scrub of a secret from the audit log', () => audit.mask(hits, mask));
  }
  return changed;
}

/** The rowids of the rows that hold a value, one batch of the table at a time, read outside any transaction. */
async function* rowsHolding(db: Database, table: ScrubbedTable, masker: ValueMasker, batchRows: number, pause: () => Promise<void>): AsyncGenerator<number[]> {
  const names = table.columns.map((column) => column.name);
  const scan = db.prepare<[number, number], Row>(`SELECT rowid AS rowid_, ${names.join(', ')} FROM ${table.table} WHERE rowid > ? ORDER BY rowid LIMIT ?`);
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = scan.all(after, batchRows);
    if (rows.length === 0) return;
    after = rows.at(-1)!.rowid_;
    const hits = rows.filter((row) => holds(table, row, masker)).map((row) => row.rowid_);
    if (hits.length > 0) yield hits;
    if (rows.length < batchRows) return;
    await pause();
  }
}

/**
 * Copies the WAL into the file and empties it (`TRUNCATE`): the pages from before the scrub stay in a WAL until
 * it is overwritten, which a checkpoint alone does not do. Another connection reading at that moment makes it
 * wait; it is tried again a few times.
 */
async function emptyWal(db: Database, pause: () => Promise<void>): Promise<boolean> {
  for (let attempt = 0; attempt < WAL_TRIES; attempt++) {
    const [round] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    if (!round?.busy) return true;
    await pause();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

function hasTable(db: Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
