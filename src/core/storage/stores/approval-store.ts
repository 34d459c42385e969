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
    // decided_by only from migration 27 on (a migration's test writes approvals at an older schema).
    const decider = (db.pragma('table_info(approvals)') as { name: string }[]).some((column) => column.name === 'decided_by');
    this.decideStatement = db.prepare(
      `UPDATE approvals SET outcome = @outcome, decided_at = @decidedAt, note = @note${decider ? ', decided_by = @decidedBy' : ''} WHERE id = @id AND outcome IS NULL`,
    );
    this.expireOpenStatement = db.prepare(
      `UPDATE approvals SET outcome = 'timed_out', decided_at = ? WHERE outcome IS NULL AND NOT EXISTS (
        SELECT 1 FROM tool_calls WHERE tool_calls.id = approvals.tool_call_id AND tool_calls.status IN ('pending', 'awaiting_approval', 'running'))`,
    );
    this.expireOpenOfCallStatement = db.prepare(
      "UPDATE approvals SET outcome = 'timed_out', decided_at = ? WHERE outcome IS NULL AND tool_call_id = ?",
    );
  }

  insert(record: ApprovalRecord): void {
    this.insertStatement.run(record);
  }

  /** Returns false when the approval was already decided: approvals are single-use. */
  /** `decidedBy`: who answered (approval-decider.ts). */
  decide(id: string, outcome: ApprovalOutcome, decidedAt: number, note: string | null, decidedBy: string | null = null): boolean {
    return this.decideStatement.run({ id, outcome, decidedAt, note, decidedBy }).changes === 1;
  }

  /**
   * At start-up, once the previous run's calls are closed: every open approval whose call no longer waits ended as a
   * deny. The call of a turn another process still runs (a `portcullis chat` beside) still waits, and keeps its own.
   */
  expireOpen(at: number): number {
    return this.expireOpenStatement.run(at).changes;
  }

  /** The open approval of one call whose process ended while it waited (`endedProcessTurns`). */
  expireOpenOfCall(toolCallId: string, at: number): number {
    return this.expireOpenOfCallStatement.run(at, toolCallId).changes;
  }
}
