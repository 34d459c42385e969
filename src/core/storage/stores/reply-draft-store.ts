import type { Database, Statement } from 'better-sqlite3';
import type { Redactor } from '../../redaction/redactor';
import { commitWithoutFsync } from '../commit-without-fsync';
import { immediateTransaction } from '../immediate-transaction';
import { guardWrite } from '../storage-error';
import type { EndedTurn } from './tool-call-store';

/** The reply a model is streaming in a conversation, as far as it has come (its thinking too). */
export interface ReplyDraft {
  conversationId: string;
  turnId: string;
  traceId: string | null;
  content: string;
  reasoning?: { text: string; ms: number };
  updatedAt: number;
}

interface DraftRow {
  conversation_id: string;
  turn_id: string;
  trace_id: string | null;
  content: string;
  reasoning: string | null;
  reasoning_ms: number | null;
  updated_at: number;
}

function toDraft(row: DraftRow): ReplyDraft {
  return {
    conversationId: row.conversation_id, turnId: row.turn_id, traceId: row.trace_id, content: row.content, updatedAt: row.updated_at,
    ...(row.reasoning !== null ? { reasoning: { text: row.reasoning, ms: row.reasoning_ms ?? 0 } } : {}),
  };
}

/**
 * Streaming replies' drafts (migration 31), so a process killed mid-reply keeps what the person read. A draft is
 * written without an fsync (synchronous=NORMAL for its commit): it survives the process being killed, and a power
 * loss drops at most the drafts since the last fsync (the next message's commit, or the WAL checkpoint each second).
 * Secrets are masked before it is written, as in a message.
 */
export class ReplyDraftStore {
  private readonly putStatement: Statement;
  private readonly deleteStatement: Statement<[string]>;
  private readonly allStatement: Statement<[], DraftRow>;
  private readonly ofTurnStatement: Statement<[string, string], DraftRow>;
  private readonly withoutFsync: <T>(write: () => T) => T;
  private readonly transaction: <T>(write: () => T) => T;

  constructor(db: Database, private readonly redactor?: Redactor) {
    this.putStatement = db.prepare(`
      INSERT INTO reply_drafts (conversation_id, turn_id, trace_id, content, reasoning, reasoning_ms, updated_at)
      VALUES (@conversationId, @turnId, @traceId, @content, @reasoning, @reasoningMs, @updatedAt)
      ON CONFLICT (conversation_id) DO UPDATE SET turn_id = excluded.turn_id, trace_id = excluded.trace_id, content = excluded.content,
        reasoning = excluded.reasoning, reasoning_ms = excluded.reasoning_ms, updated_at = excluded.updated_at`);
    this.deleteStatement = db.prepare('DELETE FROM reply_drafts WHERE conversation_id = ?');
    this.allStatement = db.prepare('SELECT * FROM reply_drafts');
    this.ofTurnStatement = db.prepare('SELECT * FROM reply_drafts WHERE conversation_id = ? AND turn_id = ?');
    this.withoutFsync = commitWithoutFsync(db);
    this.transaction = immediateTransaction(db);
  }

  /** Writes the conversation's draft over the one before it, without an fsync. */
  save(draft: ReplyDraft): void {
    const redact = (text: string) => (this.redactor ? this.redactor.redactText(text) : text);
    const row = {
      conversationId: draft.conversationId, turnId: draft.turnId, traceId: draft.traceId, content: redact(draft.content),
      reasoning: draft.reasoning ? redact(draft.reasoning.text) : null, reasoningMs: draft.reasoning?.ms ?? null, updatedAt: draft.updatedAt,
    };
    this.withoutFsync(() => guardWrite('the reply so far', () => this.putStatement.run(row)));
  }

  /**
   * Runs `write` (storing the reply, or what the person read of it) and deletes the conversation's draft in one
   * transaction: a crash in between would otherwise keep the reply twice.
   */
  settle<T>(conversationId: string, write: () => T): T {
    return this.transaction(() => {
      const written = write();
      this.deleteStatement.run(conversationId);
      return written;
    });
  }

  /** Deletes the conversation's draft (its reply was not kept: its server broke it off). */
  discard(conversationId: string): void {
    guardWrite('the reply so far', () => this.deleteStatement.run(conversationId));
  }

  /** The drafts whose turn's process ended: every one at the owner's start, or that turn's. */
  left(turn?: EndedTurn): ReplyDraft[] {
    const rows = turn ? this.ofTurnStatement.all(turn.conversationId, turn.turnId) : this.allStatement.all();
    return rows.map(toDraft);
  }
}
