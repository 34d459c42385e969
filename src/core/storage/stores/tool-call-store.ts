import type { Database, Statement } from 'better-sqlite3';
import type { PolicyDecision, ToolCallRecord } from '../../../shared/domain/tool-call';
import type { Redactor } from '../../redaction/redactor';
import { commitWithoutFsync } from '../commit-without-fsync';
import { immediateTransaction } from '../immediate-transaction';

export interface ToolCallRow {
  id: string;
  conversation_id: string;
  turn_id: string;
  model_call_id: string | null;
  tool_name: string;
  arguments_json: string;
  decision_effect: PolicyDecision['effect'] | null;
  decision_rule_id: string | null;
  decision_reason: string | null;
  approval: ToolCallRecord['approval'];
  status: ToolCallRecord['status'];
  result_json: string | null;
  error_code: string | null;
  error_message: string | null;
  /** Absent before migration 27. */
  decided_by?: string | null;
  /** Absent before migration 30. */
  allowed_for?: string | null;
  started_at: number;
  ended_at: number | null;
}

export function toToolCallRecord(row: ToolCallRow): ToolCallRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    turnId: row.turn_id,
    ...(row.model_call_id === null ? {} : { modelCallId: row.model_call_id }),
    toolName: row.tool_name,
    arguments: JSON.parse(row.arguments_json) as unknown,
    decision:
      row.decision_effect === null
        ? null
        : { effect: row.decision_effect, ruleId: row.decision_rule_id ?? '', reason: row.decision_reason ?? '' },
    approval: row.approval,
    // Who answered its approval; none on rows before it was kept, which read as the person's as they did.
    ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
    ...(row.allowed_for ? { allowedFor: row.allowed_for } : {}),
    status: row.status,
    ...(row.result_json === null ? {} : { result: JSON.parse(row.result_json) as unknown }),
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

const INTERRUPTED_MESSAGE = 'Portcullis stopped while this call was running, so its result is unknown.';
const INTERRUPTED_WAITING = 'Portcullis stopped while this call waited for your approval, so it did not run.';

/** One turn of one conversation, whose process ended while it ran. */
export interface EndedTurn {
  conversationId: string;
  turnId: string;
  /** Its trace, when its claim said it (a model's turn): a retry's has no message naming it until its first reply. */
  traceId?: string | null;
}

/**
 * Each governed call is written when it is decided and when it ends (and while it waits for a person), so a
 * crash leaves an honest record. `atomically` groups a step's writes (the row, its audit entry, its approval)
 * into one commit; see docs/storage.md for which commits are fsynced.
 */
export class ToolCallStore {
  private readonly insertStatement: Statement;
  private readonly updateStatement: Statement;
  private readonly getStatement: Statement<[string], ToolCallRow>;
  private readonly closeInterruptedStatement: Statement<{ message: string; waiting: string; at: number }, ToolCallRow>;
  private readonly closeInterruptedOfTurnStatement: Statement<{ message: string; waiting: string; at: number; conversationId: string; turnId: string }, ToolCallRow>;
  private readonly openTurnsStatement: Statement<[], EndedTurn>;
  private readonly transaction: <T>(write: () => T) => T;
  private readonly withoutFsync: <T>(write: () => T) => T;

  /** `redactor` masks secrets in the tool's name, arguments, results and errors before they are written; the caller's record keeps the real values. */
  constructor(db: Database, private readonly redactor?: Redactor) {
    // result_listed 0: the result it ends with waits in a partial index for the indexer to list it (migration 23;
    // absent before, where a migration's test writes calls at an older schema).
    const columns = (db.pragma('table_info(tool_calls)') as { name: string }[]).map((column) => column.name);
    const listed = columns.includes('result_listed');
    // decided_by: who answered its approval (migration 27).
    const decider = columns.includes('decided_by');
    // allowed_for: what its approval's longer allowance covered (migration 30).
    const reach = columns.includes('allowed_for');
    this.insertStatement = db.prepare(`
      INSERT INTO tool_calls (id, conversation_id, turn_id, model_call_id, tool_name, arguments_json, decision_effect, decision_rule_id,
        decision_reason, approval, status, result_json, error_code, error_message, started_at, ended_at${listed ? ', result_listed' : ''}${decider ? ', decided_by' : ''}${reach ? ', allowed_for' : ''})
      VALUES (@id, @conversationId, @turnId, @modelCallId, @toolName, @argumentsJson, @decisionEffect, @decisionRuleId,
        @decisionReason, @approval, @status, @resultJson, @errorCode, @errorMessage, @startedAt, @endedAt${listed ? ', 0' : ''}${decider ? ', @decidedBy' : ''}${reach ? ', @allowedFor' : ''})`);
    this.updateStatement = db.prepare(`
      UPDATE tool_calls SET
        decision_effect = @decisionEffect, decision_rule_id = @decisionRuleId, decision_reason = @decisionReason,
        approval = @approval, status = @status, result_json = @resultJson,
        error_code = @errorCode, error_message = @errorMessage, ended_at = @endedAt${decider ? ', decided_by = @decidedBy' : ''}${reach ? ', allowed_for = @allowedFor' : ''}
      WHERE id = @id`);
    this.getStatement = db.prepare('SELECT * FROM tool_calls WHERE id = ?');
    const closeOpen = `
      UPDATE tool_calls SET status = 'failed', error_code = 'TOOL_INTERRUPTED', ended_at = @at,
        error_message = CASE WHEN status = 'awaiting_approval' THEN @waiting ELSE @message END,
        approval = CASE WHEN status = 'awaiting_approval' THEN 'timed_out' ELSE approval END
      WHERE status IN ('pending', 'awaiting_approval', 'running')`;
    this.closeInterruptedStatement = db.prepare(`${closeOpen} RETURNING *`);
    this.closeInterruptedOfTurnStatement = db.prepare(`${closeOpen} AND conversation_id = @conversationId AND turn_id = @turnId RETURNING *`);
    this.openTurnsStatement = db.prepare(`SELECT DISTINCT conversation_id AS conversationId, turn_id AS turnId FROM tool_calls
      WHERE status IN ('pending', 'awaiting_approval', 'running')`);
    this.withoutFsync = commitWithoutFsync(db);
    // IMMEDIATE: what runs inside may read before it writes (the audit chain's head), see docs/storage.md. It
    // waits for another connection's lock (a checkpoint's, a `portcullis` command's) in 50 µs steps rather than
    // SQLite's millisecond sleeps.
    this.transaction = immediateTransaction(db);
  }

  /**
   * Runs `write` (any writes on this connection: the row, audit entries, approvals) as one transaction, so a
   * step costs one commit. `durable: false` commits without an fsync (synchronous=NORMAL for this commit;
   * SQLite refuses to change it inside a transaction, so it is chosen up front): safe against a process crash,
   * and made durable by the next fsynced commit on the connection, since the WAL is appended in order. Only
   * for records nothing acknowledged to a person depends on (docs/storage.md).
   */
  atomically<T>(write: () => T, options: { durable?: boolean } = {}): T {
    if (options.durable !== false) return this.transaction(write);
    return this.withoutFsync(() => this.transaction(write));
  }

  insert(record: ToolCallRecord): void {
    this.insertStatement.run({
      ...this.columns(record),
      conversationId: record.conversationId,
      turnId: record.turnId,
      modelCallId: record.modelCallId ?? null,
      // The name its caller asked for, any text (a tool that is not there is recorded too): masked as its arguments.
      toolName: this.redact(record.toolName),
      argumentsJson: JSON.stringify(this.redact(record.arguments ?? null)),
      startedAt: record.startedAt,
    });
  }

  update(record: ToolCallRecord): void {
    this.updateStatement.run(this.columns(record));
  }

  private columns(record: ToolCallRecord) {
    return {
      id: record.id,
      decisionEffect: record.decision?.effect ?? null,
      decisionRuleId: record.decision?.ruleId ?? null,
      decisionReason: record.decision ? this.redact(record.decision.reason) : null,
      approval: record.approval,
      decidedBy: record.decidedBy ?? null,
      allowedFor: record.allowedFor ?? null,
      status: record.status,
      resultJson: record.result === undefined ? null : JSON.stringify(this.redact(record.result)),
      errorCode: record.error?.code ?? null,
      errorMessage: record.error ? this.redact(record.error.message) : null,
      endedAt: record.endedAt,
    };
  }

  private redact<T>(value: T): T {
    return this.redactor ? this.redactor.redactValue(value) : value;
  }

  /**
   * `text` with its secrets masked as this store writes them, for a caller that must cut it to length first: a
   * secret cut short is no longer found whole, and its start was written.
   */
  masked(text: string): string {
    return this.redact(text);
  }

  /**
   * At start-up no call is running any more: each one a previous run left deciding, waiting for a person or
   * running ended when that process did, as a failure that says so (its approval, if any, as unanswered). A
   * scan of the table, once per start (~10 ms at 100,000 calls); an index on the status would cost every call.
   * Returns the calls it closed. With `turn`, only that turn's: its process ended while the others run on (a
   * `portcullis` command killed mid-turn beside the app), found by the turn's claim (`endedProcessTurns`).
   */
  closeInterrupted(at: number, turn?: EndedTurn): ToolCallRecord[] {
    const texts = { message: INTERRUPTED_MESSAGE, waiting: INTERRUPTED_WAITING, at };
    const rows = turn ? this.closeInterruptedOfTurnStatement.all({ ...texts, ...turn }) : this.closeInterruptedStatement.all(texts);
    return rows.map(toToolCallRecord);
  }

  /** The turns with a call not yet ended (deciding, waiting for a person or running): a scan, as `closeInterrupted`'s. */
  openTurns(): EndedTurn[] {
    return this.openTurnsStatement.all();
  }

  get(id: string): ToolCallRecord | undefined {
    const row = this.getStatement.get(id);
    return row ? toToolCallRecord(row) : undefined;
  }
}
