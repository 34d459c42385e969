import type { Database, Statement } from 'better-sqlite3';
import type { SearchHit } from '../../shared/domain/memory';
import { toFtsQuery } from './fts-query';
import { mergeRankedHits } from './merge-ranked-hits';
import { MARK_CLOSE, MARK_OPEN, readSnippet } from './snippet-marks';
import { ToolResultIndexer } from './tool-result-indexer';

interface MessageHitRow {
  id: string;
  conversation_id: string;
  title: string;
  role: string;
  author: string | null;
  snippet: string;
  score: number;
  created_at: number;
}

interface MemoryHitRow {
  id: string;
  source_message_id: string | null;
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

/**
 * An index's top `limit` matches (bm25: lower is better) with a marked snippet, joined (`joins`, on `f.rowid`) to
 * the rows they index for `columns`. `ORDER BY bm25()` rather than FTS5's `ORDER BY rank`: SQLite then keeps only
 * the top rows while scanning (and computes snippets for those alone), where `rank` makes FTS5 sort every match
 * first: 2× faster for a term in 5% of 1M messages.
 */
function rankedHits<Row>(db: Database, index: string, columns: string, joins: string): Statement<[string, number], Row> {
  return db.prepare<[string, number], Row>(`
    SELECT ${columns}, f.snippet, f.score
    FROM (
      SELECT rowid, snippet(${index}, 0, '${MARK_OPEN}', '${MARK_CLOSE}', '…', 16) AS snippet, bm25(${index}) AS score
      FROM ${index} WHERE ${index} MATCH ? ORDER BY score LIMIT ?
    ) f
    ${joins}
    ORDER BY f.score`);
}

export type SearchScope = 'all' | 'messages' | 'memories';

/**
 * Ranked full-text search (FTS5 bm25) over messages, memories and, when asked, tools' results, with snippets.
 * Each index yields its own top `limit` (`rankedHits`); the lists are merged fairly (`mergeRankedHits`): bm25 scores
 * of different indexes are not comparable.
 */
export class SearchIndex {
  private readonly messagesStatement: Statement<[string, number], MessageHitRow>;
  private readonly memoriesStatement: Statement<[string, number], MemoryHitRow>;
  private toolResultsStatement: Statement<[string, number], ToolResultHitRow> | undefined;
  private indexer: ToolResultIndexer | undefined;

  constructor(private readonly db: Database) {
    // Who made a request the person did not type (migration 18); a migration's test searches an older schema.
    const author = (db.pragma('table_info(messages)') as { name: string }[]).some((column) => column.name === 'author') ? 'm.author' : 'NULL AS author';
    this.messagesStatement = rankedHits(db, 'messages_fts', `m.id, m.conversation_id, c.title, m.role, ${author}, m.created_at`, `
      JOIN messages m ON m.seq = f.rowid
      JOIN conversations c ON c.id = m.conversation_id`);
    this.memoriesStatement = rankedHits(db, 'memories_fts', 'm.id, m.source_message_id, m.conversation_id, c.title, m.created_at', `
      JOIN memories m ON m.seq = f.rowid
      LEFT JOIN conversations c ON c.id = m.conversation_id`);
  }

  /**
   * Results are indexed off the call's path (migration 17); a search first adds any still waiting. Prepared at
   * first use, so a database of an older schema (a migration's test) still searches its messages and memories.
   */
  get toolResults(): ToolResultIndexer {
    this.indexer ??= new ToolResultIndexer(this.db);
    return this.indexer;
  }

  private get toolResultHits(): Statement<[string, number], ToolResultHitRow> {
    // The index holds the start of each result's text (migration 17); its rowid is tool_result_rows.seq.
    this.toolResultsStatement ??= rankedHits(this.db, 'tool_results_fts', 't.id, t.conversation_id, c.title, t.tool_name, coalesce(t.ended_at, t.started_at) AS created_at', `
      JOIN tool_result_rows r ON r.seq = f.rowid
      JOIN tool_calls t ON t.id = r.tool_call_id
      JOIN conversations c ON c.id = t.conversation_id`);
    return this.toolResultsStatement;
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
    const messageHits: SearchHit[] = [];
    const memoryHits: SearchHit[] = [];
    const toolResultHits: SearchHit[] = [];
    if (scope !== 'memories') {
      for (const row of this.messagesStatement.all(query, limit)) {
        messageHits.push({
          kind: 'message', id: row.id, conversationId: row.conversation_id, conversationTitle: row.title,
          role: row.role, ...readSnippet(row.snippet), score: row.score, createdAt: row.created_at,
          ...(row.author ? { author: row.author } : {}),
        });
      }
    }
    if (scope !== 'messages') {
      for (const row of this.memoriesStatement.all(query, limit)) {
        memoryHits.push({
          kind: 'memory', id: row.id, conversationId: row.conversation_id, conversationTitle: row.title,
          role: null, ...readSnippet(row.snippet), score: row.score, createdAt: row.created_at,
          ...(row.source_message_id ? { sourceMessageId: row.source_message_id } : {}),
        });
      }
    }
    if (scope === 'all' && options.toolResults) {
      this.toolResults.indexAll();
      for (const row of this.toolResultHits.all(query, limit)) {
        toolResultHits.push({
          kind: 'tool_result', id: row.id, conversationId: row.conversation_id, conversationTitle: row.title,
          role: 'tool', toolName: row.tool_name, untrusted: true, ...readSnippet(row.snippet), score: row.score, createdAt: row.created_at,
        });
      }
    }
    return mergeRankedHits([messageHits, memoryHits, toolResultHits], limit);
  }
}
