/**
 * The span writer thread: stores span batches on its own SQLite connection and checkpoints the WAL, so neither
 * ever runs on the main thread between a tool call's request and its answer. Started as a worker_thread by
 * `SpanWriterThread` (src/core/storage/writer/span-writer-thread.ts); spans arrive already redacted.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../core/storage/database';
import { pollForLock } from '../core/storage/poll-for-lock';
import { pragmaToggle } from '../core/storage/pragma-toggle';
import { SpanStore } from '../core/storage/stores/span-store';
import type { SpanWriterData, SpanWriterFailure, ToSpanWriter } from '../core/storage/writer/span-writer-protocol';

const { file, progress, checkpointEveryMs, truncateAbovePages, failures } = workerData as SpanWriterData;
const handled = new Int32Array(progress);
const port = parentPort!;
const send = (failure: SpanWriterFailure): void => failures.postMessage(failure);

// The main connection already opened, checked and migrated the file.
const db = openDatabase(file, { check: 'none' });
db.pragma('synchronous = NORMAL');
// Checkpoints run on the timer below only: SQLite's automatic ones would follow nearly every batch (the WAL is
// kept under 16 MiB, past the 1,000-page default), each with an fsync.
db.pragma('wal_autocheckpoint = 0');
const spans = new SpanStore(db);

type CheckpointRound = { busy: number; log: number; checkpointed: number };
/** How long one round looks for a moment to truncate in; a round that finds none leaves it to the next. */
const TRUNCATE_WITHIN_MS = 50;
const noWait = pragmaToggle(db, 'busy_timeout = 0', `busy_timeout = ${db.pragma('busy_timeout', { simple: true }) as number}`);

/**
 * TRUNCATE needs a moment with no writer (then it copies the rest, and empties the file). It looks for one every
 * tenth of a millisecond: the gaps between a busy agent's commits are short.
 */
function truncateWal(): void {
  const truncated = (): boolean => !(db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointRound[])[0]?.busy;
  pollForLock(noWait, truncated, Math.min(TRUNCATE_WITHIN_MS, checkpointEveryMs), 0.1);
}

// PASSIVE never waits for the main connection: it copies what it can and leaves the rest for the next round.
// But SQLite starts the WAL over only when a writer finds all of it copied, and while the main connection keeps
// committing (a busy agent: two commits per tool call) a PASSIVE round never ends with nothing left: the WAL
// grew without bound (175 MB after 4,000 tool calls in the gateway bench). Past a limit, TRUNCATE.
const checkpoints = setInterval(() => {
  try {
    const [round] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointRound[];
    if (round && round.log > truncateAbovePages) truncateWal();
  } catch (error) {
    send({ type: 'checkpoint-failed', message: (error as Error).message });
  }
}, checkpointEveryMs);

port.on('message', (message: ToSpanWriter) => {
  if (message.type === 'close') {
    clearInterval(checkpoints);
    db.close();
    failures.close();
    port.close();
    return;
  }
  try {
    spans.insert(message.spans);
  } catch (error) {
    send({ type: 'failed', seq: message.seq, count: message.spans.length, message: (error as Error).message });
  }
  Atomics.store(handled, 0, message.seq);
  Atomics.notify(handled, 0);
});
