import type { Database } from 'better-sqlite3';
import { busyWaitOff, pollForLock } from '../poll-for-lock';
import type { PragmaToggle } from '../pragma-toggle';

type CheckpointRound = { busy: number; log: number; checkpointed: number };

/**
 * Checkpoints one file's WAL in rounds, from the span writer thread, with SQLite's automatic checkpoints off on
 * this connection (they would follow nearly every batch, each with an fsync).
 *
 * PASSIVE never waits for a writer: it copies what it can and leaves the rest for the next round. But SQLite
 * starts the WAL over only when a writer finds all of it copied, and while the main connection keeps committing
 * (a busy agent: two commits per tool call) a PASSIVE round never ends with nothing left: the WAL grew without
 * bound (175 MB after 4,000 tool calls in the gateway bench). Past a limit, the round ends with a TRUNCATE.
 */
export class WalCheckpointer {
  private readonly noWait: PragmaToggle;

  /** `truncateAbovePages`: the WAL length past which a round truncates; it looks for a moment for `withinMs`. */
  constructor(private readonly db: Database, private readonly truncateAbovePages: number, private readonly withinMs: number) {
    db.pragma('wal_autocheckpoint = 0');
    this.noWait = busyWaitOff(db);
  }

  round(): void {
    const [round] = this.db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRound[];
    if (round && round.log > this.truncateAbovePages) this.truncate();
  }

  /**
   * TRUNCATE needs a moment with no writer (then it copies the rest, and empties the file). It looks for one every
   * tenth of a millisecond: the gaps between a busy agent's commits are short. A round that finds none leaves it
   * to the next.
   */
  private truncate(): void {
    const truncated = (): boolean => !(this.db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointRound[])[0]?.busy;
    pollForLock(this.noWait, truncated, this.withinMs, 0.1);
  }
}
