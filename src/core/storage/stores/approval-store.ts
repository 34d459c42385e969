import type { Database, Statement } from 'better-sqlite3';
import type { ApprovalOutcome } from '../../../shared/domain/approval';

export interface ApprovalRecord {
  id: string;
  toolCallId: string;
  conversationId: string;
  requestedAt: number;
  expiresAt: number;
}

/** Approval requests and their outcomes; an outcome is written before the waiting call is released. */
export class ApprovalStore {
  private readonly insertStatement: Statement;
  private readonly decideStatement: Statement;
  private readonly expireOpenStatement: Statement;
  private readonly expireOpenOfCallStatement: Statement;

  constructor(db: Database) {
    this.insertStatement = db.prepare(`
      INSERT INTO approvals (id, tool_call_id, conversation_id, requested_at, expires_at)
      VALUES (@id, @toolCallId, @conversationId, @requestedAt, @expiresAt)`);
    this.decideStatement = db.prepare(
      'UPDATE approvals SET outcome = @outcome, decided_at = @decidedAt, note = @note WHERE id = @id AND outcome IS NULL',
    );
    this.expireOpenStatement = db.prepare(
      "UPDATE approvals SET outcome = 'timed_out', decided_at = ? WHERE outcome IS NULL",
    );
    this.expireOpenOfCallStatement = db.prepare(
      "UPDATE approvals SET outcome = 'timed_out', decided_at = ? WHERE outcome IS NULL AND tool_call_id = ?",
    );
  }

  insert(record: ApprovalRecord): void {
    this.insertStatement.run(record);
  }

  /** Returns false when the approval was already decided: approvals are single-use. */
  decide(id: string, outcome: ApprovalOutcome, decidedAt: number, note: string | null): boolean {
    return this.decideStatement.run({ id, outcome, decidedAt, note }).changes === 1;
  }

  /** At start-up no call is waiting any more, so every open approval from a previous run ended as a deny. */
  expireOpen(at: number): number {
    return this.expireOpenStatement.run(at).changes;
  }

  /** The open approval of one call whose process ended while it waited (`endedProcessTurns`). */
  expireOpenOfCall(toolCallId: string, at: number): number {
    return this.expireOpenOfCallStatement.run(at, toolCallId).changes;
  }
}
