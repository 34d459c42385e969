import type { Database, Statement } from 'better-sqlite3';
import type { SearchHit } from '../../shared/domain/memory';
import { toFtsQuery } from './fts-query';
import { MARK_CLOSE, MARK_OPEN, readSnippet } from './snippet-marks';

interface MessageHitRow {
  id: string;
  conversation_id: string;
  title: string;
  role: string;
  snippet: string;
  score: number;
  created_at: number;
}

interface MemoryHitRow {
  id: string;
  conversation_id: string | null;
  title: string | null;
  snippet: string;
  score: number;
  created_at: number;
}

export type SearchScope = 'all' | 'messages' | 'memories';

/**
 * Ranked full-text search (FTS5 bm25) over messages and memories, with snippets. Each index yields its own
 * top `limit` by rank; the two lists are merged by score (bm25: lower is better). `ORDER BY bm25()` rather
 * than FTS5's `ORDER BY rank`: SQLite then keeps only the top rows while scanning (and computes snippets for
 * those alone), where `rank` makes FTS5 sort every match first: 2× faster for a term in 5% of 1M messages.
 */
export class SearchIndex {
  private readonly messagesStatement: Statement<[string, number], MessageHitRow>;
  private readonly memoriesStatement: Statement<[string, number], MemoryHitRow>;

  constructor(db: Database) {
    this.messagesStatement = db.prepare(`
      SELECT m.id, m.conversation_id, c.title, m.role, m.created_at, f.snippet, f.score
      FROM (
        SELECT rowid, snippet(messages_fts, 0, '${MARK_OPEN}', '${MARK_CLOSE}', '…', 16) AS snippet, bm25(messages_fts) AS score
        FROM messages_fts WHERE messages_fts MATCH ? ORDER BY score LIMIT ?
      ) f
      JOIN messages m ON m.seq = f.rowid
      JOIN conversations c ON c.id = m.conversation_id
      ORDER BY f.score`);
    this.memoriesStatement = db.prepare(`
      SELECT m.id, m.conversation_id, c.title, m.created_at, f.snippet, f.score
      FROM (
        SELECT rowid, snippet(memories_fts, 0, '${MARK_OPEN}', '${MARK_CLOSE}', '…', 16) AS snippet, bm25(memories_fts) AS score
        FROM memories_fts WHERE memories_fts MATCH ? ORDER BY score LIMIT ?
      ) f
      JOIN memories m ON m.seq = f.rowid
      LEFT JOIN conversations c ON c.id = m.conversation_id
      ORDER BY f.score`);
  }

  search(text: string, options: { limit?: number; scope?: SearchScope } = {}): SearchHit[] {
    const query = toFtsQuery(text);
    if (query === null) return [];
    const limit = options.limit ?? 20;
    const scope = options.scope ?? 'all';
    const hits: SearchHit[] = [];
    if (scope !== 'memories') {
      for (const row of this.messagesStatement.all(query, limit)) {
        hits.push({
          kind: 'message', id: row.id, conversationId: row.conversation_id, conversationTitle: row.title,
          role: row.role, ...readSnippet(row.snippet), score: row.score, createdAt: row.created_at,
        });
      }
    }
    if (scope !== 'messages') {
      for (const row of this.memoriesStatement.all(query, limit)) {
        hits.push({
          kind: 'memory', id: row.id, conversationId: row.conversation_id, conversationTitle: row.title,
          role: null, ...readSnippet(row.snippet), score: row.score, createdAt: row.created_at,
        });
      }
    }
    return hits.sort((a, b) => a.score - b.score).slice(0, limit);
  }
}
