import type { Database, Statement } from 'better-sqlite3';
import type { Message, RequestedToolCall } from '../../../shared/domain/message';
import { guardWrite } from '../storage-error';
import type { Redactor } from '../../redaction/redactor';
import { toToolCallRecord, type ToolCallRow } from './tool-call-store';

interface MessageRow {
  id: string;
  conversation_id: string;
  turn_id: string;
  role: Message['role'];
  content: string;
  tool_calls_json: string | null;
  cut_short: number;
  reasoning: string | null;
  reasoning_ms: number | null;
  author: string | null;
  direct_call: number;
  answered_at_budget: string | null;
  tool_call_id: string | null;
  trace_id: string | null;
  created_at: number;
}

type JoinedRow = MessageRow & { [K in keyof ToolCallRow as `tc_${K}`]: ToolCallRow[K] | null } & { tc_approval_wait_ms: number | null; tc_untrusted: number | null };

const TOOL_CALL_COLUMNS = [
  'id', 'conversation_id', 'turn_id', 'model_call_id', 'tool_name', 'arguments_json', 'decision_effect', 'decision_rule_id',
  'decision_reason', 'approval', 'decided_by', 'allowed_for', 'status', 'result_json', 'error_code', 'error_message', 'started_at', 'ended_at',
] as const satisfies readonly (keyof ToolCallRow)[];

function toMessage(row: JoinedRow): Message {
  const message: Message = {
    id: row.id,
    conversationId: row.conversation_id,
    turnId: row.turn_id,
    role: row.role,
    content: row.content,
    traceId: row.trace_id,
    createdAt: row.created_at,
  };
  if (row.cut_short === 1) message.cutShort = true;
  if (row.reasoning !== null) message.reasoning = { text: row.reasoning, ms: row.reasoning_ms ?? 0 };
  if (row.author !== null) message.author = row.author;
  if (row.direct_call === 1) message.directCall = true;
  if (row.answered_at_budget !== null) message.answeredAtBudget = JSON.parse(row.answered_at_budget) as NonNullable<Message['answeredAtBudget']>;
  if (row.tool_calls_json !== null) message.toolCalls = JSON.parse(row.tool_calls_json) as RequestedToolCall[];
  if (row.tc_id !== null) {
    const toolCallRow = Object.fromEntries(TOOL_CALL_COLUMNS.map((c) => [c, row[`tc_${c}`]])) as unknown as ToolCallRow;
    message.toolCall = toToolCallRecord(toolCallRow);
    if (row.tc_approval_wait_ms !== null) message.toolCall.approvalWaitMs = row.tc_approval_wait_ms;
    if (row.tc_untrusted === 1) message.toolCall.untrusted = true;
  }
  return message;
}

export type NewMessage = Omit<Message, 'toolCall'> & { toolCallId?: string };

export class MessageStore {
  private readonly insertStatement: Statement;
  private readonly listStatement: Statement<[string], JoinedRow>;
  private readonly newestStatement: Statement<[string, number], JoinedRow>;
  private readonly countStatement: Statement<[string], { n: number }>;
  private readonly getStatement: Statement<[string], JoinedRow>;
  private readonly turnUserMessageStatement: Statement<{ conversationId: string; turnId: string }, { id: string }>;
  private readonly turnToolRequestStatement: Statement<{ conversationId: string; turnId: string }, { trace_id: string | null }>;
  private requestOfTraceStatement: Statement<{ conversationId: string; traceId: string; start: number; end: number }, { content: string }> | undefined;

  /** `redactor` masks secrets in text and tool calls before they are written. */
  constructor(private readonly db: Database, private readonly redactor?: Redactor) {
    this.insertStatement = db.prepare(`
      INSERT INTO messages (id, conversation_id, turn_id, role, content, tool_calls_json, tool_call_id, cut_short, reasoning, reasoning_ms, author, direct_call, answered_at_budget, trace_id, created_at)
      VALUES (@id, @conversationId, @turnId, @role, @content, @toolCallsJson, @toolCallId, @cutShort, @reasoning, @reasoningMs, @author, @directCall, @answeredAtBudget, @traceId, @createdAt)`);
    const select = `
      SELECT m.*, ${TOOL_CALL_COLUMNS.map((c) => `t.${c} AS tc_${c}`).join(', ')},
        -- An approval no one answered waited the time it was given ("timed out after 2 min", as set), however late its
        -- timer fired on a busy or sleeping machine; one that was answered, as long as it waited.
        (SELECT CASE WHEN a.decided_by = 'timeout' THEN a.expires_at - a.requested_at ELSE a.decided_at - a.requested_at END FROM approvals a
          WHERE a.tool_call_id = t.id AND a.decided_at IS NOT NULL ORDER BY a.requested_at DESC LIMIT 1) AS tc_approval_wait_ms,
        -- Untrusted output is what tainted the conversation (the model saw it fenced as such); the call's row keeps
        -- no flag of its own, so a conversation read back (Export, after a restart) learns it from its taint.
        EXISTS (SELECT 1 FROM taint_sources s WHERE s.conversation_id = t.conversation_id AND s.tool_call_id = t.id) AS tc_untrusted
      FROM messages m LEFT JOIN tool_calls t ON t.id = m.tool_call_id`;
    this.listStatement = db.prepare(`${select} WHERE m.conversation_id = ? ORDER BY m.seq`);
    this.newestStatement = db.prepare(`SELECT * FROM (${select} WHERE m.conversation_id = ? ORDER BY m.seq DESC LIMIT ?) ORDER BY seq`);
    this.countStatement = db.prepare('SELECT count(*) AS n FROM messages WHERE conversation_id = ?');
    this.getStatement = db.prepare(`${select} WHERE m.id = ?`);
    // A retried turn has no message of the person's own: it answers the newest one before it.
    this.turnUserMessageStatement = db.prepare(`
      SELECT id FROM messages WHERE conversation_id = @conversationId AND role = 'user'
        AND seq <= (SELECT max(seq) FROM messages WHERE conversation_id = @conversationId AND turn_id = @turnId)
      ORDER BY seq DESC LIMIT 1`);
    this.turnToolRequestStatement = db.prepare(`
      SELECT trace_id FROM messages WHERE conversation_id = @conversationId AND turn_id = @turnId AND role = 'assistant'
        AND tool_calls_json IS NOT NULL
      ORDER BY seq DESC LIMIT 1`);
  }

  append(message: NewMessage): Message {
    const content = this.redactor ? this.redactor.redactText(message.content) : message.content;
    const toolCalls = message.toolCalls && this.redactor ? (this.redactor.redactValue(message.toolCalls) as RequestedToolCall[]) : message.toolCalls;
    const author = message.author !== undefined && this.redactor ? this.redactor.redactText(message.author) : message.author;
    const reasoning = message.reasoning && this.redactor ? { ...message.reasoning, text: this.redactor.redactText(message.reasoning.text) } : message.reasoning;
    guardWrite('the message', () => this.insertStatement.run({
      id: message.id,
      conversationId: message.conversationId,
      turnId: message.turnId,
      role: message.role,
      content,
      toolCallsJson: toolCalls ? JSON.stringify(toolCalls) : null,
      toolCallId: message.toolCallId ?? null,
      cutShort: message.cutShort ? 1 : 0,
      reasoning: reasoning?.text ?? null,
      reasoningMs: reasoning?.ms ?? null,
      author: author ?? null,
      directCall: message.directCall ? 1 : 0,
      answeredAtBudget: message.answeredAtBudget ? JSON.stringify(message.answeredAtBudget) : null,
      traceId: message.traceId,
      createdAt: message.createdAt,
    }));
    // Only a tool message needs its call joined in; any other row is exactly what was written (redacted).
    if (message.toolCallId) return this.get(message.id)!;
    const { toolCallId: _unused, ...written } = message;
    return { ...written, content, ...(toolCalls ? { toolCalls } : {}), ...(author !== undefined ? { author } : {}), ...(reasoning ? { reasoning } : {}) };
  }

  list(conversationId: string): Message[] {
    return this.listStatement.all(conversationId).map(toMessage);
  }

  /** The newest `count` messages of a conversation, oldest first: what a model step reads, not the whole past. */
  listNewest(conversationId: string, count: number): Message[] {
    return this.newestStatement.all(conversationId, count).map(toMessage);
  }

  count(conversationId: string): number {
    return this.countStatement.get(conversationId)!.n;
  }

  /** The person's message a turn answers: the one that started it, or for a retried turn the one it retries. */
  userMessageOfTurn(conversationId: string, turnId: string): string | null {
    return this.turnUserMessageStatement.get({ conversationId, turnId })?.id ?? null;
  }

  /**
   * Whether a turn's model asked for tools, and if so its trace: a call it asked for is answered in that turn.
   * Undefined for a call from outside a model turn (`portcullis tools call`).
   */
  toolRequestOfTurn(conversationId: string, turnId: string): { traceId: string | null } | undefined {
    const row = this.turnToolRequestStatement.get({ conversationId, turnId });
    return row ? { traceId: row.trace_id } : undefined;
  }

  /** The traces a turn's messages were written in (one, or one per retry of it). */
  tracesOfTurn(conversationId: string, turnId: string): string[] {
    return this.db
      .prepare<[string, string], { trace_id: string }>('SELECT DISTINCT trace_id FROM messages WHERE conversation_id = ? AND turn_id = ? AND trace_id IS NOT NULL')
      .all(conversationId, turnId)
      .map((row) => row.trace_id);
  }

  /** The conversation a trace's turn belongs to, from its messages written between `from` and `to` (by the created_at index). */
  conversationOfTrace(traceId: string, from: number, to: number): string | null {
    const row = this.db
      .prepare<[number, number, string], { conversation_id: string }>('SELECT conversation_id FROM messages WHERE created_at BETWEEN ? AND ? AND trace_id = ? LIMIT 1')
      .get(from, to, traceId);
    return row?.conversation_id ?? null;
  }

  /**
   * What a trace's turn was asked: the person's message that started it (written with the turn's trace id around
   * the turn's `start` and `end`, found by the created_at index), or for a retried turn the newest one before it.
   * Secrets are masked as stored. Null when the conversation has none (a turn from outside the chat).
   */
  requestOfTrace(conversationId: string, traceId: string, start: number, end: number): string | null {
    this.requestOfTraceStatement ??= this.db.prepare(`
      SELECT content FROM messages WHERE created_at BETWEEN @start - 60000 AND @end + 60000 AND trace_id = @traceId AND role = 'user'
        AND conversation_id = @conversationId
      UNION ALL
      SELECT * FROM (SELECT content FROM messages WHERE conversation_id = @conversationId AND role = 'user' AND created_at <= @start ORDER BY seq DESC LIMIT 1)
      LIMIT 1`);
    return this.requestOfTraceStatement.get({ conversationId, traceId, start, end })?.content ?? null;
  }

  get(id: string): Message | undefined {
    const row = this.getStatement.get(id);
    return row ? toMessage(row) : undefined;
  }
}
