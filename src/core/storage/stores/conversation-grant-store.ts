import type { Database, Statement } from 'better-sqlite3';
import type { TaintSource } from '../../../shared/domain/policy';

/** Per-conversation state the policy reads: tools allowed for the conversation, and its taint sources. */
export class ConversationGrantStore {
  private readonly allowStatement: Statement;
  private readonly allowedStatement: Statement<[string, string], { n: number }>;
  private readonly allowanceStatement: Statement<[string, string], { allowed_by: string | null }> | undefined;
  private readonly taintStatement: Statement;
  private readonly taintListStatement: Statement<[string], { tool_call_id: string; tool_name: string; description: string; created_at: number }>;
  private readonly recentTaintStatement: Statement<[string, number], string>;

  constructor(db: Database) {
    // allowed_by: who chose it (migration 28; a migration's test writes allowances at an older schema).
    const giver = (db.pragma('table_info(conversation_allowances)') as { name: string }[]).some((column) => column.name === 'allowed_by');
    this.allowStatement = giver
      ? db.prepare('INSERT OR IGNORE INTO conversation_allowances (conversation_id, tool_name, created_at, allowed_by) VALUES (?, ?, ?, ?)')
      : db.prepare('INSERT OR IGNORE INTO conversation_allowances (conversation_id, tool_name, created_at) VALUES (?, ?, ?)');
    this.allowanceStatement = giver ? db.prepare('SELECT allowed_by FROM conversation_allowances WHERE conversation_id = ? AND tool_name = ?') : undefined;
    this.allowedStatement = db.prepare('SELECT count(*) AS n FROM conversation_allowances WHERE conversation_id = ? AND tool_name = ?');
    this.taintStatement = db.prepare(
      'INSERT INTO taint_sources (conversation_id, tool_call_id, tool_name, description, created_at) VALUES (@conversationId, @toolCallId, @toolName, @description, @at)',
    );
    this.taintListStatement = db.prepare('SELECT tool_call_id, tool_name, description, created_at FROM taint_sources WHERE conversation_id = ? ORDER BY seq');
    this.recentTaintStatement = db.prepare<[string, number], string>('SELECT description FROM taint_sources WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?').pluck();
  }

  /** `by`: who chose it when not the person (an approval's `decidedBy`, e.g. `api: key "nightly"`). */
  allowForConversation(conversationId: string, toolName: string, at: number, by: string | null = null): void {
    if (this.allowanceStatement) this.allowStatement.run(conversationId, toolName, at, by);
    else this.allowStatement.run(conversationId, toolName, at);
  }

  isAllowed(conversationId: string, toolName: string): boolean {
    return this.allowedStatement.get(conversationId, toolName)!.n > 0;
  }

  /** The tool's allowance for the conversation and who chose it (null: the person); undefined when it has none. */
  allowance(conversationId: string, toolName: string): { by: string | null } | undefined {
    if (!this.allowanceStatement) return this.isAllowed(conversationId, toolName) ? { by: null } : undefined;
    const row = this.allowanceStatement.get(conversationId, toolName);
    return row ? { by: row.allowed_by } : undefined;
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
