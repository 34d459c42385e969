import BetterSqlite3, { type Database } from 'better-sqlite3';
import { closeSync, constants, copyFileSync, existsSync, linkSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AuditLog } from '../../audit/audit-log';
import { ToolResultIndexer } from '../../memory/tool-result-indexer';
import { AppError, messageOf } from '../../../shared/errors';
import { dataFolderPaths } from '../../config/data-paths';
import { claimDataFolder, recordedOwnerPid } from '../../runtime/data-folder-owner';
import { holdFileLock } from '../../runtime/process-lock';
import { openDatabase } from '../database';
import { earlierCopy } from '../database-backup';
import { migrate } from '../migrate';
import { migrations, LATEST_SCHEMA_VERSION } from '../migrations/index';
import { isDamage, readAroundDamage, type LostRange } from './read-around-damage';
import { repairLostReferences } from './lost-references';
import { hasSqliteHeader } from '../sqlite-header';
import { SALVAGE_WORK_FOLDER } from './salvage-under-way';

export { SALVAGE_WORK_FOLDER };

export interface TableSalvage {
  table: string;
  /** Rows written to the new database. */
  saved: number;
  /** Rows that could not be read, as an index of the table still counted them (null: unknown, see `lostRanges`). */
  lost: number | null;
  /** The rowids the damage made unreadable (a range may hold none, some or many rows). */
  lostRanges: LostRange[];
  /** Rows read but refused by the schema's checks (a value the damage changed). */
  refused: number;
  /** Rows removed because what they belong to was lost (an approval of a lost tool call). */
  droppedForLostReference: number;
  /** Rows kept with a link to a lost row emptied (a memory whose source message was lost). */
  linksCleared: number;
  /** What an index still says of the lost rows (a setting's key…), the first 100. */
  lostKeys: Array<Record<string, unknown>>;
  /** For a table of a conversation's content: which conversations lost rows, and how many, as an index told. */
  lostByConversation: Array<{ id: string; title: string | null; lost: number }>;
}

export interface SalvageReport {
  /** Where the new database is: the data folder's `portcullis.db`. */
  database: string;
  /** Where the damaged file was moved to, unchanged (with its `-wal`, if it had one). */
  damagedFile: string;
  /** The copy of the same bytes a start refused by the damage kept (`portcullis.db.corrupt-<time>.bak`), if any. */
  startupCopy: string | null;
  schemaFrom: number;
  schemaTo: number;
  tables: TableSalvage[];
  /** Conversations made again (named after their first message) for messages whose conversation row was lost. */
  recreatedConversations: number;
  /** Audit entries lost ([from, through]). */
  auditEntriesLost: Array<[number, number]>;
  /** The entries after this one may be lost too: the end of the log and its anchor were unreadable (null: not so). */
  auditEndUnknownAfter: number | null;
  /** Every conversation was marked as having read untrusted content: where that was recorded was lost. */
  taintAssumed: boolean;
  /** Tables of the damaged file this build does not know (not carried over). */
  notCarried: string[];
}

/** The database is not damaged (quick_check finds nothing): nothing was salvaged, nothing changed. */
export interface IntactDatabase {
  intact: true;
  database: string;
}


/** Why a taint entry was added by the salvage: the model reads it, as the label of a fenced result. */
const TAINT_LOST = 'What this conversation read from outside was partly lost with a damaged page of the database (portcullis db salvage)';

/** The search indexes are made again from what was saved: their own pages are not copied. */
const FTS_SHADOW = /_(data|idx|docsize|config|content)$/;

/**
 * `portcullis db salvage`: copies every row SQLite can still read from a damaged `portcullis.db` into a new database
 * at the current schema, moves the damaged file aside (never changed, never deleted), and puts the new one in its
 * place. Everything is written in a work folder first and renamed into place last, so a salvage killed on the way
 * leaves the damaged file where it was. Refused while a Portcullis runs on the folder.
 */
export function salvageDatabase(dataDir: string | undefined, now: Date = new Date()): SalvageReport | IntactDatabase {
  const paths = dataFolderPaths(dataDir);
  const file = paths.databaseFile;
  if (!existsSync(file)) throw new AppError('NOT_FOUND', `There is no database to salvage in ${paths.dataDir} (no ${basename(file)}). Is --data-dir the folder you meant?`);
  const claim = claimDataFolder(paths.dataDir);
  try {
    if (!claim.owner || anotherProcessRuns(paths.dataDir)) {
      const pid = recordedOwnerPid(paths.dataDir);
      throw new AppError('DATABASE_ERROR', `Portcullis is running on ${paths.dataDir}${pid ? ` (pid ${pid})` : ''}: quit it (the app, \`portcullis serve\` or another command) first, then salvage. Nothing was changed.`);
    }
    refuseIfNotSqlite(file);
    const work = join(paths.dataDir, SALVAGE_WORK_FOLDER);
    try {
      rmSync(work, { recursive: true, force: true }); // a salvage killed before: its half-written files, never the damaged one
      mkdirSync(work, { mode: 0o700 });
      return salvageInto(file, work, now);
    } catch (error) {
      if (error instanceof AppError) throw error;
      // What no step above words (a disk error, a damaged file SQLite will not even open): said, not a stack trace.
      throw new AppError('DATABASE_ERROR', `The salvage of ${file} stopped: ${messageOf(error)}. The damaged file was left where it was; nothing was changed.`, { cause: error });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  } finally {
    claim.release();
  }
}

function salvageInto(file: string, work: string, now: Date): SalvageReport | IntactDatabase {
  // Read from a copy: opening the damaged file itself would let SQLite fold its WAL in, or remove it, on close.
  const copy = join(work, 'damaged-copy.db');
  copyFileSync(file, copy);
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
  const damaged = new BetterSqlite3(copy, { fileMustExist: true });
  const target = join(work, 'salvaged.db');
  let fresh: Database | undefined;
  let report: Omit<SalvageReport, 'database' | 'damagedFile' | 'startupCopy'>;
  try {
    const { version, tables } = readSchema(damaged, file);
    // Run on a sound file (by mistake, or after a restore) it would only rename it "damaged": it says so instead.
    if (quickCheckPasses(damaged)) return { intact: true, database: file };
    fresh = openDatabase(target, { migrateTo: version, check: 'none' });
    report = copyRows(damaged, fresh, version, tables, now);
    fresh.pragma('journal_mode = DELETE'); // one file, nothing beside it, to rename into place
    const problems = (fresh.pragma('quick_check') as Array<{ quick_check: string }>).map((row) => row.quick_check);
    if (problems.join() !== 'ok') throw new AppError('INTERNAL', `The salvaged database did not check out (${problems[0]}); the damaged file was left where it was.`);
  } finally {
    fresh?.close();
    damaged.close();
  }
  syncFile(target);
  const startupCopy = earlierCopy(file, 'corrupt') ?? null;
  const damagedFile = replaceKeepingAside(file, target, now);
  syncFile(join(file, '..'));
  return { database: file, damagedFile, startupCopy, ...report };
}

function readSchema(damaged: Database, file: string): { version: number; tables: Array<{ name: string; sql: string }> } {
  let version: number;
  let entries: Array<{ type: string; name: string; sql: string | null }>;
  try {
    version = damaged.pragma('user_version', { simple: true }) as number;
    entries = damaged.prepare('SELECT type, name, sql FROM sqlite_schema').all() as typeof entries;
  } catch (error) {
    // Damage, or a header SQLite no longer takes ("unsupported file format"): either way the schema is unknown.
    throw new AppError('DATABASE_CORRUPT', `The list of tables of ${file} (its first page, sqlite_schema) is damaged itself (${(error as Error).message}), so which rows belong where cannot be told and nothing can be salvaged here. Restore a backup, try SQLite's own \`.recover\` (sqlite3) on a copy of it, or move the file away to start with an empty history. Nothing was changed.`);
  }
  if (version > LATEST_SCHEMA_VERSION) {
    throw new AppError('DATABASE_ERROR', `${file} was written by a newer Portcullis (schema ${version}; this build knows ${LATEST_SCHEMA_VERSION}): salvage it with that version. Nothing was changed.`);
  }
  const virtual = entries.filter((e) => e.type === 'table' && /^CREATE VIRTUAL TABLE/i.test(e.sql ?? '')).map((e) => e.name);
  const tables = entries.filter(
    (e) => e.type === 'table' && !e.name.startsWith('sqlite_') && !virtual.includes(e.name) && !virtual.some((v) => e.name.startsWith(`${v}_`) && FTS_SHADOW.test(e.name)),
  );
  return { version, tables: tables.map((t) => ({ name: t.name, sql: t.sql ?? '' })) };
}

function quickCheckPasses(db: Database): boolean {
  try {
    return (db.pragma('quick_check') as Array<{ quick_check: string }>).every((row) => row.quick_check === 'ok');
  } catch (error) {
    if (!isDamage(error)) throw error;
    return false;
  }
}

function columnsOf(db: Database, table: string): string[] {
  // hidden 0: an ordinary column (2 and 3 are generated ones, which are computed, not written).
  return db.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0').pluck().all(table) as string[];
}

function copyRows(damaged: Database, fresh: Database, version: number, tables: ReadonlyArray<{ name: string }>, now: Date): Omit<SalvageReport, 'database' | 'damagedFile' | 'startupCopy'> {
  fresh.pragma('foreign_keys = OFF'); // checked once every row is in (lost-references.ts), not row by row
  // The triggers only keep the search indexes in step, which are rebuilt whole at the end: kept out of the copy
  // (half its time), and put back as they were before the schema moves on.
  const triggers = fresh.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'").all() as Array<{ name: string; sql: string }>;
  for (const trigger of triggers) fresh.exec(`DROP TRIGGER "${trigger.name}"`);
  const results = new Map<string, TableSalvage>();
  const lostKeys = new Map<string, Array<Record<string, unknown>>>();
  const notCarried: string[] = [];
  for (const { name } of tables) {
    const targetColumns = columnsOf(fresh, name);
    if (targetColumns.length === 0) {
      notCarried.push(name);
      continue;
    }
    const columns = columnsOf(damaged, name).filter((column) => targetColumns.includes(column));
    const insert = fresh.prepare(`INSERT INTO "${name}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    const result: TableSalvage = { table: name, saved: 0, lost: 0, lostRanges: [], refused: 0, droppedForLostReference: 0, linksCleared: 0, lostKeys: [], lostByConversation: [] };
    fresh.transaction(() => {
      const read = readAroundDamage(damaged, name, columns, (values) => {
        try {
          insert.run(values);
          result.saved++;
        } catch {
          result.refused++; // a value the damage changed that the schema refuses (a NOT NULL, a CHECK, a duplicate)
        }
      });
      result.lost = read.lostRows;
      result.lostKeys = read.lostKeys.slice(0, 100);
      lostKeys.set(name, read.lostKeys);
      result.lostRanges = read.lost;
    })();
    results.set(name, result);
  }
  keepSequences(damaged, fresh);
  const anchor = readAnchor(damaged);
  const repairs = repairLostReferences(fresh);
  for (const [table, count] of repairs.dropped) if (results.has(table)) results.get(table)!.droppedForLostReference += count;
  for (const [table, count] of repairs.cleared) if (results.has(table)) results.get(table)!.linksCleared += count;
  for (const result of results.values()) result.saved -= result.droppedForLostReference;
  const taint = results.get('taint_sources');
  const taintAssumed = taint !== undefined && taint.lost !== 0 && assumeTaint(fresh, now);
  for (const trigger of triggers) fresh.exec(trigger.sql);
  fresh.pragma('foreign_keys = ON');
  migrate(fresh, { migrations });
  rebuildSearch(fresh);
  const audit = results.get('audit_log');
  const { lost: auditEntriesLost, endUnknownAfter: auditEndUnknownAfter } = audit ? auditLosses(fresh, audit, anchor) : { lost: [], endUnknownAfter: null };
  // The chain numbers its entries 1, 2, 3…: how many it lost is known even where no index of the table tells.
  if (audit && audit.lost === null && auditEndUnknownAfter === null) audit.lost = auditEntriesLost.reduce((sum, [from, through]) => sum + through - from + 1, 0);
  for (const result of results.values()) result.lostByConversation = byConversation(fresh, lostKeys.get(result.table) ?? []);
  const tableList = [...results.values()];
  new AuditLog(fresh).declareSalvage(
    {
      auditEntriesLost,
      ...(auditEndUnknownAfter === null ? {} : { auditEndUnknownAfter }),
      schemaFrom: version,
      tables: Object.fromEntries(tableList.filter((t) => t.lost !== 0 || t.refused > 0 || t.droppedForLostReference > 0).map((t) => [t.table, { saved: t.saved, lost: t.lost, refused: t.refused, dropped: t.droppedForLostReference }])),
      recreatedConversations: repairs.recreatedConversations,
    },
    now.getTime(),
  );
  return { schemaFrom: version, schemaTo: LATEST_SCHEMA_VERSION, tables: tableList, recreatedConversations: repairs.recreatedConversations, auditEntriesLost, auditEndUnknownAfter, taintAssumed, notCarried };
}

/** How many lost rows each conversation had, by the conversation an index named for each (its title as saved). */
function byConversation(fresh: Database, keys: ReadonlyArray<Record<string, unknown>>): TableSalvage['lostByConversation'] {
  const counts = new Map<string, number>();
  for (const key of keys) if (typeof key.conversation_id === 'string') counts.set(key.conversation_id, (counts.get(key.conversation_id) ?? 0) + 1);
  const title = fresh.prepare('SELECT title FROM conversations WHERE id = ?').pluck();
  return [...counts].map(([id, lost]) => ({ id, title: (title.get(id) as string | undefined) ?? null, lost })).sort((a, b) => b.lost - a.lost);
}

/** AUTOINCREMENT counters as the damaged file had them, where they still read: a number given once is not given again. */
function keepSequences(damaged: Database, fresh: Database): void {
  let rows: Array<{ name: string; seq: number }>;
  try {
    rows = damaged.prepare('SELECT name, seq FROM sqlite_sequence').all() as typeof rows;
  } catch {
    return; // lost, or none: the new counters start after the highest number saved
  }
  const known = new Set(fresh.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);
  for (const row of rows) {
    if (!known.has(row.name)) continue;
    const changed = fresh.prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?').run(row.seq, row.name).changes;
    if (changed === 0) fresh.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(row.name, row.seq);
  }
}

function readAnchor(damaged: Database): { seq: number } | null {
  try {
    return (damaged.prepare('SELECT seq FROM audit_anchor WHERE id = 1').get() as { seq: number } | undefined) ?? null;
  } catch {
    return null;
  }
}

/**
 * Which audit entries are missing: the chain numbers them 1, 2, 3…, so every gap among those saved is a loss, and
 * so is the end up to where the anchor (the last entry written) says it was. With the anchor lost too and the end of
 * the table unreadable, how many came last cannot be told.
 */
function auditLosses(fresh: Database, audit: TableSalvage, anchor: { seq: number } | null): { lost: Array<[number, number]>; endUnknownAfter: number | null } {
  const seqs = fresh.prepare('SELECT seq FROM audit_log ORDER BY seq').pluck().all() as number[];
  const lost: Array<[number, number]> = [];
  let expected = 1;
  for (const seq of seqs) {
    if (seq > expected) lost.push([expected, seq - 1]);
    expected = seq + 1;
  }
  if (anchor && anchor.seq >= expected) lost.push([expected, anchor.seq]);
  const endUnread = audit.lostRanges.some((range) => range.through === null);
  return { lost, endUnknownAfter: !anchor && endUnread ? expected - 1 : null };
}

/**
 * Where a conversation read untrusted content (a web page, a server's output) is what makes the policy ask before a
 * risky call, and which calls' results the model sees fenced as untrusted; with rows of it lost, which ones they were
 * cannot be told, so every call's result is taken as untrusted, and every conversation as having read some.
 */
function assumeTaint(fresh: Database, now: Date): boolean {
  const at = now.getTime();
  fresh
    .prepare(
      `INSERT INTO taint_sources (conversation_id, tool_call_id, tool_name, description, created_at)
       SELECT conversation_id, id, tool_name, ?, ? FROM tool_calls t
       WHERE NOT EXISTS (SELECT 1 FROM taint_sources s WHERE s.tool_call_id = t.id)`,
    )
    .run(`${TAINT_LOST} (its result is taken as untrusted)`, at);
  fresh
    .prepare(
      `INSERT INTO taint_sources (conversation_id, tool_call_id, tool_name, description, created_at)
       SELECT id, '', 'portcullis.salvage', ?, ? FROM conversations c
       WHERE NOT EXISTS (SELECT 1 FROM taint_sources s WHERE s.conversation_id = c.id)`,
    )
    .run(`${TAINT_LOST} (this conversation is taken as having read untrusted content)`, at);
  return true;
}

/**
 * Every full-text index, made again from the saved rows (their own pages were not copied): messages' and memories'
 * from their tables; tool results' through the indexer, as the app lists and indexes them (its content is a view,
 * which FTS5's rebuild cannot read).
 */
function rebuildSearch(fresh: Database): void {
  const indexes = fresh.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'").pluck().all() as string[];
  fresh.transaction(() => {
    for (const index of indexes.filter((name) => name !== 'tool_results_fts')) fresh.prepare(`INSERT INTO "${index}"("${index}") VALUES ('rebuild')`).run();
    if (!indexes.includes('tool_results_fts')) return;
    fresh.prepare('DELETE FROM tool_result_rows WHERE tool_call_id NOT IN (SELECT id FROM tool_calls)').run(); // a lost call's listing
    fresh.prepare('UPDATE tool_result_rows SET indexed = 0 WHERE indexed = 1').run();
    // A result whose listing was lost is listed again.
    fresh.prepare('UPDATE tool_calls SET result_listed = 0 WHERE result_json IS NOT NULL AND result_listed = 1 AND id NOT IN (SELECT tool_call_id FROM tool_result_rows)').run();
  })();
  if (indexes.includes('tool_results_fts')) new ToolResultIndexer(fresh).indexAll();
}

/** A process of Portcullis that runs on the folder without owning it (a `portcullis` command) holds its own lock. */
function anotherProcessRuns(dataDir: string): boolean {
  const folder = join(dataDir, 'runtimes');
  if (!existsSync(folder)) return false;
  return readdirSync(folder)
    .filter((name) => name.endsWith('.lock'))
    .some((name) => {
      const lock = holdFileLock(join(folder, name), { create: false });
      if (lock === 'held') return true;
      if (lock !== null && lock !== 'absent') lock.close();
      return false;
    });
}

function refuseIfNotSqlite(file: string): void {
  if (!hasSqliteHeader(file)) {
    throw new AppError('DATABASE_CORRUPT', `${file} is not an SQLite database (its first bytes were overwritten), so nothing can be salvaged from it. Restore a backup, or move the file away to start with an empty history. Nothing was changed.`);
  }
}

/**
 * Puts the new file in the damaged one's place, the damaged one (and its WAL and shared-memory files) kept aside
 * unchanged. The aside names are hard links made first, so at no moment is there no `portcullis.db` (a start would
 * make an empty one) nor a file kept by one name only; the old WAL's own name goes before the new file comes, since
 * SQLite would replay a WAL it finds beside a database into it.
 */
function replaceKeepingAside(file: string, target: string, now: Date): string {
  const stamp = now.toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  let aside = `${file}.damaged-${stamp}.bak`;
  for (let n = 2; existsSync(aside); n++) aside = `${file}.damaged-${stamp}-${n}.bak`;
  const parts = ['', '-wal', '-shm'].filter((suffix) => existsSync(file + suffix));
  for (const suffix of parts) keepAside(file + suffix, aside + suffix);
  for (const suffix of parts.filter((s) => s !== '')) rmSync(file + suffix, { force: true });
  renameSync(target, file);
  return aside;
}

/** A second name for the file (a hard link); where the disk has none (FAT), a copy. */
function keepAside(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to, constants.COPYFILE_EXCL);
  }
}

function syncFile(path: string): void {
  try {
    const fd = openSync(path, statSync(path).isDirectory() ? 'r' : 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // A folder some systems do not let fsync: the rename stands; only its durability across power loss is less sure.
  }
}
