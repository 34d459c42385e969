import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { ConversationDeletion } from '../../../shared/domain/conversation';
import { deleteConversationRows } from '../delete-conversation-rows';
import { migrate } from '../migrate';

/**
 * Where private conversations live: an in-memory SQLite database with the same schema, never backed by a
 * file, so nothing of them (messages, tool calls, approvals, traces) reaches the disk. It ends with the process.
 */
export class PrivateSpace {
  readonly db: Database;
  private readonly conversations = new Set<string>();
  private readonly traces = new Set<string>();

  constructor() {
    this.db = new BetterSqlite3(':memory:');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db);
  }

  addConversation(id: string): void {
    this.conversations.add(id);
  }

  has(conversationId: string): boolean {
    return this.conversations.has(conversationId);
  }

  /** Spans carry no conversation id: a private turn's trace id is registered when the turn begins (`onTurnTrace`). */
  addTrace(traceId: string): void {
    this.traces.add(traceId);
  }

  hasTrace(traceId: string): boolean {
    return this.traces.has(traceId);
  }

  /** Forgets one private conversation now, with its messages, tool calls and traces. */
  deleteConversation(conversationId: string): ConversationDeletion | null {
    if (!this.has(conversationId)) return null;
    const deleted = deleteConversationRows(this.db, this.db, conversationId);
    this.conversations.delete(conversationId);
    return deleted;
  }

  /** Forgets every private conversation now ("delete everything"). */
  clear(): void {
    this.db.exec('DELETE FROM conversations; DELETE FROM spans;');
    this.conversations.clear();
    this.traces.clear();
  }

  dispose(): void {
    this.db.close();
  }
}
