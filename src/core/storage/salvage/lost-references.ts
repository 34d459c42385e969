import type { Database } from 'better-sqlite3';

/** What became of rows that point at a row the damage took, per table. */
export interface ReferenceRepairs {
  /** Conversations made again (named after their first message) for messages and tool calls whose conversation row was lost. */
  recreatedConversations: number;
  /** Rows removed: what they belong to was lost (an approval of a lost tool call), by table. */
  dropped: Map<string, number>;
  /** Rows kept with their link to a lost row emptied (a memory whose source message was lost), by table. */
  cleared: Map<string, number>;
}

/** The title a conversation gets when its own row was lost and none of its messages is the person's. */
export const RECOVERED_TITLE = 'Recovered conversation (its title was lost)';

/** Otherwise it is named after the person's first message saved, so that several recovered ones tell apart. */
export const RECOVERED_PREFIX = 'Recovered: ';
const TITLE_WORDS = 60;

/** The tables that hold a conversation's content: worth making the conversation again for. */
const CONTENT_TABLES = ['messages', 'tool_calls'] as const;
const CONTENT_TIME: Record<(typeof CONTENT_TABLES)[number], string> = { messages: 'created_at', tool_calls: 'started_at' };

function tableExists(db: Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/**
 * Makes the salvaged rows consistent again, with foreign keys off (they are checked here, not row by row as they
 * were copied): a conversation whose row was lost while its messages or tool calls were read is made again
 * (named after the person's first message, dated by them), so a damaged page of `conversations` loses titles, not whole histories. Any other
 * row pointing at a lost row loses that link when the column may be empty, or is removed when it may not (an
 * approval of a lost tool call says nothing alone); removing one can orphan others, so it goes round until none.
 */
export function repairLostReferences(db: Database): ReferenceRepairs {
  const repairs: ReferenceRepairs = { recreatedConversations: 0, dropped: new Map(), cleared: new Map() };
  if (tableExists(db, 'conversations')) repairs.recreatedConversations = recreateConversations(db);
  for (let round = 0; round < 10; round++) {
    const violations = db.pragma('foreign_key_check') as Array<{ table: string; rowid: number | null; parent: string; fkid: number }>;
    if (violations.length === 0) break;
    for (const violation of violations) {
      const fk = db.prepare('SELECT "from" FROM pragma_foreign_key_list(?) WHERE id = ?').pluck().all(violation.table, violation.fkid) as string[];
      const required = db.prepare('SELECT name FROM pragma_table_info(?) WHERE "notnull" = 1').pluck().all(violation.table) as string[];
      const table = `"${violation.table.replaceAll('"', '""')}"`;
      if (fk.some((column) => required.includes(column)) || violation.rowid === null) {
        if (violation.rowid !== null) db.prepare(`DELETE FROM ${table} WHERE rowid = ?`).run(violation.rowid);
        repairs.dropped.set(violation.table, (repairs.dropped.get(violation.table) ?? 0) + 1);
      } else {
        db.prepare(`UPDATE ${table} SET ${fk.map((column) => `"${column}" = NULL`).join(', ')} WHERE rowid = ?`).run(violation.rowid);
        repairs.cleared.set(violation.table, (repairs.cleared.get(violation.table) ?? 0) + 1);
      }
    }
  }
  return repairs;
}

function recreateConversations(db: Database): number {
  const sources = CONTENT_TABLES.filter((table) => tableExists(db, table)).map((table) => `SELECT conversation_id AS id, ${CONTENT_TIME[table]} AS at FROM ${table}`);
  if (sources.length === 0) return 0;
  const firstWords = tableExists(db, 'messages')
    ? `(SELECT CASE WHEN length(m.content) > ${TITLE_WORDS} THEN substr(m.content, 1, ${TITLE_WORDS}) || '…' ELSE m.content END
        FROM messages m WHERE m.conversation_id = c.id AND m.role = 'user' AND trim(m.content) <> '' ORDER BY m.seq LIMIT 1)`
    : 'NULL';
  return db
    .prepare(
      `INSERT INTO conversations (id, title, created_at, updated_at)
       SELECT c.id, coalesce(? || replace(replace(${firstWords}, char(10), ' '), char(13), ' '), ?), c.first, c.last
       FROM (SELECT id, min(at) AS first, max(at) AS last FROM (${sources.join(' UNION ALL ')}) WHERE id IS NOT NULL GROUP BY id) c
       WHERE c.id NOT IN (SELECT id FROM conversations)`,
    )
    .run(RECOVERED_PREFIX, RECOVERED_TITLE).changes;
}
