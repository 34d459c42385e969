import type { Database, Statement } from 'better-sqlite3';
import type { TaintSource } from '../../../shared/domain/policy';

/** Per-conversation state the policy reads: tools allowed for the conversation, and its taint sources. */
export class ConversationGrantStore {
  private readonly allowStatement: Statement;
  private readonly allowedStatement: Statement<[string, string], { n: number }>;
  private readonly taintStatement: Statement;
  private readonly taintListStatement: Statement<[string], { tool_call_id: string; tool_name: string; description: string; created_at: number }>;
  private readonly recentTaintStatement: Statement<[string, number], string>;

  constructor(db: Database) {
    this.allowStatement = db.prepare('INSERT OR IGNORE INTO conversation_allowances (conversation_id, tool_name, created_at) VALUES (?, ?, ?)');
    this.allowedStatement = db.prepare('SELECT count(*) AS n FROM conversation_allowances WHERE conversation_id = ? AND tool_name = ?');
    this.taintStatement = db.prepare(
      'INSERT INTO taint_sources (conversation_id, tool_call_id, tool_name, description, created_at) VALUES (@conversationId, @toolCallId, @toolName, @description, @at)',
    );
    this.taintListStatement = db.prepare('SELECT tool_call_id, tool_name, description, created_at FROM taint_sources WHERE conversation_id = ? ORDER BY seq');
    this.recentTaintStatement = db.prepare<[string, number], string>('SELECT description FROM taint_sources WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?').pluck();
  }

  allowForConversation(conversationId: string, toolName: string, at: number): void {
    this.allowStatement.run(conversationId, toolName, at);
  }

  isAllowed(conversationId: string, toolName: string): boolean {
    return this.allowedStatement.get(conversationId, toolName)!.n > 0;
  }

  addTaint(conversationId: string, source: TaintSource): void {
    this.taintStatement.run({ conversationId, ...source });
  }

  /**
   * What the policy needs per decision: whether the conversation is tainted, and a few of its most recent
   * distinct sources to name. Bounded, where `taint` grows with every untrusted call of the conversation.
   */
  recentTaint(conversationId: string, distinct = 3): Array<Pick<TaintSource, 'description'>> {
    const seen = new Set<string>();
    for (const description of this.recentTaintStatement.all(conversationId, distinct * 8)) {
      seen.add(description);
      if (seen.size === distinct) break;
    }
    return [...seen].map((description) => ({ description }));
  }

  taint(conversationId: string): TaintSource[] {
    return this.taintListStatement.all(conversationId).map((row) => ({ toolCallId: row.tool_call_id, toolName: row.tool_name, description: row.description, at: row.created_at }));
  }
}
