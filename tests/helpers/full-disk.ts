import Database from 'better-sqlite3';

/** The error a write gets from SQLite on a full disk (its own cap on the file gives the same SQLITE_FULL). */
export function fullDiskError(): unknown {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (v TEXT)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  try {
    for (;;) db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(8_000));
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
}
