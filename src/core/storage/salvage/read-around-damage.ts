import type { Database } from 'better-sqlite3';

/** Rowids past `after` up to and including `through` that could not be read; null: from the start, or to the end. */
export interface LostRange {
  after: number | null;
  through: number | null;
}

export interface TableRead {
  /** Rows handed to `onRow`. */
  read: number;
  lost: LostRange[];
  /** How many rows the lost ranges held, when an index of the table still told (null: unknown). */
  lostRows: number | null;
  /** What that index still says of each lost row: its columns' values (a message's conversation, a setting's key). */
  lostKeys: Array<Record<string, unknown>>;
}

const FIRST = -Number.MAX_SAFE_INTEGER;
const LAST = Number.MAX_SAFE_INTEGER;

/** Whether SQLite failed because of what the file holds (a damaged page, a cut-off file), not for another reason. */
export function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'SQLITE_IOERR_SHORT_READ' || code === 'SQLITE_TOOBIG');
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Reads every row of a table that SQLite can still read, in rowid order, and steps past what it cannot. A damaged
 * leaf page costs the rows on it; a damaged interior page, the rows under it. Each seek (`rowid > x`) goes down
 * from the root to one leaf, so after a failure the next readable row is found by seeking further and further on
 * (1, 2, 4… rowids), then back by halves to the first seek that reads: the rows in between are the lost range.
 * A damaged root page loses the whole table. A row whose own overflow page is damaged is a range of one.
 */
export function readAroundDamage(db: Database, table: string, columns: readonly string[], onRow: (values: unknown[]) => void): TableRead {
  const list = columns.map(quoted).join(', ');
  const from = `FROM ${quoted(table)}`;
  if (!hasRowid(db, table)) return readWhole(db, `SELECT ${list} ${from}`, onRow);
  const walk = db.prepare(`SELECT rowid, ${list} ${from} WHERE rowid > ? ORDER BY rowid`).raw(true);
  const first = db.prepare(`SELECT rowid, ${list} ${from} WHERE rowid > ? ORDER BY rowid LIMIT 1`).raw(true);
  const reads = (after: number): boolean => {
    try {
      first.get(after);
      return true;
    } catch (error) {
      if (!isDamage(error)) throw error;
      return false;
    }
  };
  let read = 0;
  const lost: LostRange[] = [];
  let after = FIRST;
  for (;;) {
    try {
      for (const row of walk.iterate(after) as IterableIterator<unknown[]>) {
        onRow(row.slice(1));
        read++;
        after = row[0] as number;
      }
      break;
    } catch (error) {
      if (!isDamage(error)) throw error;
    }
    const resume = nextReadable(after, reads);
    lost.push({ after: after === FIRST ? null : after, through: resume });
    if (resume === null) break;
    after = resume;
  }
  if (lost.length === 0) return { read, lost, lostRows: 0, lostKeys: [] };
  const rescued = rescueFromIndex(db, table, list, lost, onRow);
  if (!rescued) return { read, lost, lostRows: null, lostKeys: [] };
  const failed = rescued.failed.map((row) => row.rowid);
  return { read: read + rescued.read, lost: narrowed(lost, failed), lostRows: failed.length, lostKeys: rescued.failed.map((row) => row.key) };
}

/** The first rowid past `after` from which a seek reads again (null: none does, up to the largest rowid). */
function nextReadable(after: number, reads: (after: number) => boolean): number | null {
  let bad = after;
  let step = 1;
  let good: number;
  for (;;) {
    const at = after + step;
    if (at > LAST) return null;
    if (reads(at)) {
      good = at;
      break;
    }
    bad = at;
    step *= 2;
  }
  while (good - bad > 1) {
    const middle = bad + Math.floor((good - bad) / 2);
    if (reads(middle)) good = middle;
    else bad = middle;
  }
  return good;
}

/**
 * The rows an index of the table still lists in the lost ranges, each looked up by itself: which were lost (an index
 * holds every row's rowid and its columns, on pages of its own), with what the index says of them, and any that a
 * lookup still reads. An index by conversation is taken first, to say which conversations lost rows. Null when no
 * whole index of the table reads.
 */
function rescueFromIndex(
  db: Database,
  table: string,
  list: string,
  lost: readonly LostRange[],
  onRow: (values: unknown[]) => void,
): { read: number; failed: Array<{ rowid: number; key: Record<string, unknown> }> } | null {
  const inLost = (rowid: number) => lost.some((range) => (range.after === null || rowid > range.after) && (range.through === null || rowid <= range.through));
  const indexes = (db.prepare('SELECT name FROM pragma_index_list(?) WHERE partial = 0').pluck().all(table) as string[])
    .map((name) => ({ name, columns: (db.prepare('SELECT name FROM pragma_index_info(?) WHERE name IS NOT NULL ORDER BY seqno').pluck().all(name) as string[]) }))
    .sort((a, b) => Number(b.columns[0] === 'conversation_id') - Number(a.columns[0] === 'conversation_id'));
  for (const index of indexes) {
    let entries: Array<{ rowid: number; key: Record<string, unknown> }>;
    try {
      // Only the index's own columns: read from its pages alone, never from the table's.
      const rows = db.prepare(`SELECT rowid, ${[...index.columns.map(quoted), 'NULL'].join(', ')} FROM ${quoted(table)} INDEXED BY ${quoted(index.name)}`).raw(true).all() as unknown[][];
      entries = rows.filter((row) => inLost(row[0] as number)).map((row) => ({ rowid: row[0] as number, key: Object.fromEntries(index.columns.map((column, i) => [column, row[i + 1]])) }));
    } catch (error) {
      if (!isDamage(error)) throw error;
      continue; // this index is damaged too: another may read
    }
    const lookup = db.prepare(`SELECT ${list} FROM ${quoted(table)} WHERE rowid = ?`).raw(true);
    let read = 0;
    const failed: Array<{ rowid: number; key: Record<string, unknown> }> = [];
    for (const { rowid, key } of entries) {
      try {
        const row = lookup.get(rowid) as unknown[] | undefined;
        if (row) {
          onRow(row);
          read++;
        }
      } catch (error) {
        if (!isDamage(error)) throw error;
        failed.push({ rowid, key });
      }
    }
    return { read, failed };
  }
  return null;
}

/** Each range cut down to the rows an index says it held and a lookup could not read (a range of none goes). */
function narrowed(lost: readonly LostRange[], failed: readonly number[]): LostRange[] {
  return lost.flatMap((range) => {
    const inside = failed.filter((rowid) => (range.after === null || rowid > range.after) && (range.through === null || rowid <= range.through));
    if (inside.length === 0) return [];
    return [{ after: Math.min(...inside) - 1, through: Math.max(...inside) }];
  });
}

function hasRowid(db: Database, table: string): boolean {
  try {
    db.prepare(`SELECT rowid FROM ${quoted(table)} LIMIT 0`);
    return true;
  } catch {
    return false; // WITHOUT ROWID
  }
}

/** A table without rowids is read in one pass: what came before the damage, and the rest counted as lost. */
function readWhole(db: Database, sql: string, onRow: (values: unknown[]) => void): TableRead {
  let read = 0;
  try {
    for (const row of db.prepare(sql).raw(true).iterate() as IterableIterator<unknown[]>) {
      onRow(row);
      read++;
    }
    return { read, lost: [], lostRows: 0, lostKeys: [] };
  } catch (error) {
    if (!isDamage(error)) throw error;
    return { read, lost: [{ after: null, through: null }], lostRows: null, lostKeys: [] };
  }
}
