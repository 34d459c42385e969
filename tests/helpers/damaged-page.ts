import BetterSqlite3 from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { openDatabase } from '../../src/core/storage/database';
import type { AppError } from '../../src/shared/errors';

/** The page size a database file says it has (header bytes 16-17; 1 stands for 65536). */
function pageSize(bytes: Buffer): number {
  const size = bytes.readUInt16BE(16);
  return size === 1 ? 65536 : size;
}

/**
 * The leaf pages of a table or index of a closed database file, left to right, read from its b-tree as SQLite
 * lays it out: an interior page (type 2 or 5) lists its children in its cells (4-byte page numbers) and its
 * right-most child at bytes 8-11.
 */
export function leafPages(file: string, name: string): number[] {
  const raw = new BetterSqlite3(file, { readonly: true });
  const root = raw.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').pluck().get(name) as number;
  raw.close();
  const bytes = readFileSync(file);
  const size = pageSize(bytes);
  const leaves: number[] = [];
  const walk = (page: number): void => {
    const start = (page - 1) * size + (page === 1 ? 100 : 0);
    const type = bytes[start];
    if (type === 0x0a || type === 0x0d) {
      leaves.push(page);
      return;
    }
    const cells = bytes.readUInt16BE(start + 3);
    for (let i = 0; i < cells; i++) walk(bytes.readUInt32BE((page - 1) * size + bytes.readUInt16BE(start + 12 + 2 * i)));
    walk(bytes.readUInt32BE(start + 8));
  };
  walk(root);
  return leaves;
}

/** The root page of a table or index. */
export function rootPage(file: string, name: string): number {
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    return raw.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').pluck().get(name) as number;
  } finally {
    raw.close();
  }
}

/** Overwrites one whole page with garbage, as a bad sector or a stray write leaves it (from `from`: page 1 keeps its header). */
export function overwritePage(file: string, page: number, from = 0): void {
  const bytes = readFileSync(file);
  const size = pageSize(bytes);
  let state = page * 2654435761;
  for (let at = (page - 1) * size + from; at < page * size; at++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[at] = state >>> 24;
  }
  writeFileSync(file, bytes);
}

/** What opening a damaged file throws (it must not open). */
export function openError(file: string): AppError {
  try {
    openDatabase(file).close();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('the damaged file was opened');
}
