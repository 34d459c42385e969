import type { Database, Statement } from 'better-sqlite3';
import type { SearchHit } from '../../shared/domain/memory';
import { toFtsQuery } from './fts-query';
import { MARK_CLOSE, MARK_OPEN, readSnippet } from './snippet-marks';
import { ToolResultIndexer } from './tool-result-indexer';

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

interface ToolResultHitRow {
  id: string;
  conversation_id: string;
  title: string;
  tool_name: string;
  snippet: string;
  score: number;
  created_at: number;
}

export type SearchScope = 'all' | 'messages' | 'memories';

/**
 * Ranked full-text search (FTS5 bm25) over messages, memories and, when asked, tools' results, with snippets.
 * Each index yields its own top `limit` by rank; the lists are merged by score (bm25: lower is better). `ORDER BY bm25()` rather
 * than FTS5's `ORDER BY rank`: SQLite then keeps only the top rows while scanning (and computes snippets for
 * those alone), where `rank` makes FTS5 sort every match first: 2× faster for a term in 5% of 1M messages.
 */
export class SearchIndex {
  private readonly messagesStatement: Statement<[string, number], MessageHitRow>;
  private readonly memoriesStatement: Statement<[string, number], MemoryHitRow>;
  private readonly toolResultsStatement: Statement<[string, number], ToolResultHitRow>;
  /** Results are indexed off the call's path (migration 17); a search first adds any still waiting. */
  readonly toolResults: ToolResultIndexer;

  constructor(db: Database) {
    this.toolResults = new ToolResultIndexer(db);
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
    // The index holds the start of each result's text (migration 17); its rowid is tool_result_rows.seq.
    this.toolResultsStatement = db.prepare(`
      SELECT t.id, t.conversation_id, c.title, t.tool_name, coalesce(t.ended_at, t.started_at) AS created_at, f.snippet, f.score
      FROM (
        SELECT rowid, snippet(tool_results_fts, 0, '${MARK_OPEN}', '${MARK_CLOSE}', '…', 16) AS snippet, bm25(tool_results_fts) AS score
        FROM tool_results_fts WHERE tool_results_fts MATCH ? ORDER BY score LIMIT ?
      ) f
      JOIN tool_result_rows r ON r.seq = f.rowid
      JOIN tool_calls t ON t.id = r.tool_call_id
      JOIN conversations c ON c.id = t.conversation_id
      ORDER BY f.score`);
  }

  /**
   * `toolResults`: with scope 'all', tools' results too (the person's search). The model's memory.search leaves
   * them out: a result it would read back there is the same untrusted text again, outside its conversation.
   */
  search(text: string, options: { limit?: number; scope?: SearchScope; toolResults?: boolean } = {}): SearchHit[] {
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
    if (scope === 'all' && options.toolResults) {
      this.toolResults.indexAll();
      for (const row of this.toolResultsStatement.all(query, limit)) {
        hits.push({
          kind: 'tool_result', id: row.id, conversationId: row.conversation_id, conversationTitle: row.title,
          role: 'tool', toolName: row.tool_name, untrusted: true, ...readSnippet(row.snippet), score: row.score, createdAt: row.created_at,
        });
      }
    }
    return hits.sort((a, b) => a.score - b.score).slice(0, limit);
  }
}
