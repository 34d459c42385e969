import { closeSync, openSync, readSync } from 'node:fs';

const SQLITE_HEADER = 'SQLite format 3\0';

/** Whether the file begins as every SQLite database does (a shorter file does not). */
export function hasSqliteHeader(file: string): boolean {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  return header.toString('latin1') === SQLITE_HEADER;
}
