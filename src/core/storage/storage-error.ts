import { AppError } from '../../shared/errors';

/** The SQLite error codes better-sqlite3 puts on its errors (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`, ...). */
function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * Turns a failed write into an error the person can act on. SQLite rolls the statement back first, so
 * whatever was saved before is intact: the message says so.
 */
export function toStorageError(error: unknown, what: string): unknown {
  if (error instanceof AppError) return error;
  const code = sqliteCode(error);
  if (code === undefined) return error;
  if (code === 'SQLITE_FULL') {
    return new AppError(
      'STORAGE_FULL',
      `The disk is full (or the database reached its size cap), so ${what} was not saved. Free some disk space ` +
        'or lower the retention settings, then try again. Everything saved before is intact.',
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new AppError(
      'DATABASE_CORRUPT',
      `The database is damaged, so ${what} was not saved. Quit Portcullis; at the next start it keeps a copy and explains what to do (\`portcullis db salvage\` keeps every row that can still be read).`,
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') {
    return new AppError(
      'DATABASE_ERROR',
      `The disk reported an error (${code}), so ${what} was not saved. Check the disk and the data folder's permissions, then try again. Everything saved before is intact.`,
      { cause: error },
    );
  }
  return error;
}

/** Runs a write and rethrows storage failures as clear AppErrors. */
export function guardWrite<T>(what: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw toStorageError(error, what);
  }
}
