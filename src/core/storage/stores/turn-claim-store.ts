import type { Database, Statement } from 'better-sqlite3';
import { immediateTransaction } from '../immediate-transaction';

/** The process running a turn in a conversation, as its claim row says. */
export interface TurnClaimHolder {
  pid: number;
  /** The holder's `RuntimeInstance` id. */
  instance: string;
  turnId: string;
  /** The turn's trace, when it is a model's turn: a retry's has no message naming it until its first reply. */
  traceId?: string;
}

interface ClaimRow {
  turn_id: string;
  pid: number;
  instance: string;
  trace_id: string | null;
}

/** One row per conversation with a turn running, in any Portcullis process on the data folder (migration 16). */
export class TurnClaimStore {
  private readonly getStatement: Statement<[string], ClaimRow>;
  private readonly allStatement: Statement<[], ClaimRow & { conversation_id: string }>;
  private readonly putStatement: Statement;
  private readonly deleteStatement: Statement<[string, string, string]>;
  private readonly transaction: <T>(write: () => T) => T;

  constructor(db: Database) {
    this.getStatement = db.prepare('SELECT turn_id, pid, instance, trace_id FROM turn_claims WHERE conversation_id = ?');
    this.allStatement = db.prepare('SELECT conversation_id, turn_id, pid, instance, trace_id FROM turn_claims');
    this.putStatement = db.prepare(
      'INSERT OR REPLACE INTO turn_claims (conversation_id, turn_id, pid, instance, trace_id, claimed_at) VALUES (@conversationId, @turnId, @pid, @instance, @traceId, @at)',
    );
    this.deleteStatement = db.prepare('DELETE FROM turn_claims WHERE conversation_id = ? AND instance = ? AND turn_id = ?');
    this.transaction = immediateTransaction(db);
  }

  /**
   * Takes the conversation for `claimant`'s turn unless another holder still runs (`isAlive`): then that holder,
   * and nothing is written. A holder that has ended (a crash, kill -9) is replaced. One transaction, so two
   * processes claiming at once cannot both win.
   */
  claim(conversationId: string, claimant: TurnClaimHolder, at: number, isAlive: (holder: TurnClaimHolder) => boolean): TurnClaimHolder | null {
    return this.transaction(() => {
      const row = this.getStatement.get(conversationId);
      const holder = row ? holderOf(row) : null;
      if (holder && holder.instance !== claimant.instance && isAlive(holder)) return holder;
      this.put(conversationId, claimant, at);
      return null;
    });
  }

  /**
   * Takes the conversation for `claimant`'s turn only when no turn holds it (of any process, this one's included):
   * whether it did. For a turn that runs whether or not it gets the claim (a direct call).
   */
  claimIfFree(conversationId: string, claimant: TurnClaimHolder, at: number): boolean {
    return this.transaction(() => {
      if (this.getStatement.get(conversationId)) return false;
      this.put(conversationId, claimant, at);
      return true;
    });
  }

  /** The holder, if any: alive or not. */
  holder(conversationId: string): TurnClaimHolder | null {
    const row = this.getStatement.get(conversationId);
    return row ? holderOf(row) : null;
  }

  /** Every claim, of every process: alive or not. */
  all(): Array<TurnClaimHolder & { conversationId: string }> {
    return this.allStatement.all().map((row) => ({ conversationId: row.conversation_id, ...holderOf(row) }));
  }

  private put(conversationId: string, { pid, instance, turnId, traceId }: TurnClaimHolder, at: number): void {
    this.putStatement.run({ conversationId, pid, instance, turnId, traceId: traceId ?? null, at });
  }

  /** Gives the conversation up at the turn's end; a claim another process has taken over since stays. */
  release(conversationId: string, claimant: Pick<TurnClaimHolder, 'instance' | 'turnId'>): void {
    this.deleteStatement.run(conversationId, claimant.instance, claimant.turnId);
  }
}

function holderOf(row: ClaimRow): TurnClaimHolder {
  return { pid: row.pid, instance: row.instance, turnId: row.turn_id, ...(row.trace_id !== null ? { traceId: row.trace_id } : {}) };
}
