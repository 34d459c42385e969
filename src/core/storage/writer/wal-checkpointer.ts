import type { Database } from 'better-sqlite3';
import { busyWaitOff, pollForLock } from '../poll-for-lock';
import type { PragmaToggle } from '../pragma-toggle';

type CheckpointRound = { busy: number; log: number; checkpointed: number };

/** A WAL that one round's writes took past this many times the start-over length is cut back to it as it starts over. */
const KEPT_WAL_FACTOR = 4;

/**
 * The most a WAL file keeps once it starts over (SQLite's `journal_size_limit`), on a connection that writes it:
 * a burst that made it larger than that is cut back, and up to that it stays, to be written over in place.
 */
export function keepWalWithin(db: Database, restartAbovePages: number): void {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`journal_size_limit = ${KEPT_WAL_FACTOR * restartAbovePages * pageSize}`);
}

/**
 * Checkpoints one file's WAL in rounds, from the span writer thread, with SQLite's automatic checkpoints off on
 * this connection (they would follow nearly every batch, each with an fsync).
 *
 * PASSIVE never waits for a writer: it copies what it can and leaves the rest for the next round. But SQLite
 * starts the WAL over only when a writer finds all of it copied, and while the main connection keeps committing
 * (a busy agent: two commits per tool call) a PASSIVE round never ends with nothing left: the WAL grew without
 * bound (175 MB after 4,000 tool calls in the gateway bench). Past a limit, the round ends with a RESTART: the
 * next commit writes the WAL from its start again, over the file's own pages. (It was a TRUNCATE, which empties
 * the file: every commit after it then made the file longer, and a write that extends a file costs the kernel
 * more than one over pages it has, an fsync after it much more; docs/storage.md.)
 */
export class WalCheckpointer {
  private readonly noWait: PragmaToggle;

  /** `restartAbovePages`: the WAL length past which a round starts it over; it looks for a moment for `withinMs`. */
  constructor(private readonly db: Database, private readonly restartAbovePages: number, private readonly withinMs: number) {
    db.pragma('wal_autocheckpoint = 0');
    // traces.db's writer is this connection; portcullis.db's is the main one (`SpanWriterThread`).
    keepWalWithin(db, restartAbovePages);
    this.noWait = busyWaitOff(db);
  }

  round(): void {
    const [round] = this.db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRound[];
    if (round && round.log > this.restartAbovePages) this.restart();
  }

  /**
   * RESTART needs a moment with no writer (then it copies the rest, and waits until no reader uses the WAL). It
   * looks for one every tenth of a millisecond: the gaps between a busy agent's commits are short. A round that
   * finds none leaves it to the next.
   */
  private restart(): void {
    const restarted = (): boolean => !(this.db.pragma('wal_checkpoint(RESTART)') as CheckpointRound[])[0]?.busy;
    pollForLock(this.noWait, restarted, this.withinMs, 0.1);
  }
}
