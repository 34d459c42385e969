/**
 * The span writer thread: stores span batches in `traces.db` on its own connection and checkpoints the WALs of
 * both files, so neither ever runs on the main thread between a tool call's request and its answer. Started as a
 * worker_thread by `SpanWriterThread` (src/core/storage/writer/span-writer-thread.ts); spans arrive already
 * redacted.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../core/storage/database';
import { SpanStore } from '../core/storage/stores/span-store';
import { openTracesConnection } from '../core/storage/traces/open-traces-database';
import { emptyWal } from '../core/retention/database-space';
import { WalCheckpointer } from '../core/storage/writer/wal-checkpointer';
import type { SpanWriterData, SpanWriterFailure, ToSpanWriter } from '../core/storage/writer/span-writer-protocol';

const { tracesFile, mainFile, progress, checkpointEveryMs, restartAbovePages, failures } = workerData as SpanWriterData;
const handled = new Int32Array(progress);
const port = parentPort!;
const send = (failure: SpanWriterFailure): void => failures.postMessage(failure);

/** How long one round looks for a moment to start the WAL over in; a round that finds none leaves it to the next. */
const RESTART_WITHIN_MS = Math.min(50, checkpointEveryMs);

// The main thread already opened, checked and migrated both files. The main file's connection here only checkpoints.
const tracesDb = openTracesConnection(tracesFile, 'none');
const mainDb = openDatabase(mainFile, { check: 'none' });
const spans = new SpanStore(tracesDb);
/** Traces deleted while some of their spans were still on their way here: never stored again (`forget`). */
const forgotten = new Set<string>();
const deleteTrace = tracesDb.prepare('DELETE FROM spans WHERE trace_id = ?');
const checkpointers = [mainDb, tracesDb].map((db) => new WalCheckpointer(db, restartAbovePages, RESTART_WITHIN_MS));

const checkpoints = setInterval(() => {
  for (const checkpointer of checkpointers) {
    try {
      checkpointer.round();
    } catch (error) {
      send({ type: 'checkpoint-failed', message: (error as Error).message });
    }
  }
}, checkpointEveryMs);

port.on('message', (message: ToSpanWriter) => {
  if (message.type === 'close') {
    clearInterval(checkpoints);
    tracesDb.close();
    mainDb.close();
    failures.close();
    port.close();
    return;
  }
  if (message.type === 'forget') {
    forget(message.traceIds);
  } else {
    try {
      spans.insert(forgotten.size === 0 ? message.spans : message.spans.filter((span) => !forgotten.has(span.traceId)));
    } catch (error) {
      send({ type: 'failed', seq: message.seq, count: message.spans.length, message: (error as Error).message });
    }
  }
  Atomics.store(handled, 0, message.seq);
  Atomics.notify(handled, 0);
});

/**
 * A conversation was deleted while this thread was behind (a read gave up waiting for it): the batches handed over
 * before the delete were stored after it. Their rows go (overwritten: secure_delete), and the WAL that held them
 * is emptied, as the delete itself does.
 */
function forget(traceIds: readonly string[]): void {
  for (const traceId of traceIds) forgotten.add(traceId);
  try {
    const removed = tracesDb.transaction(() => traceIds.reduce((sum, traceId) => sum + deleteTrace.run(traceId).changes, 0))();
    if (removed > 0 && !emptyWal(tracesDb)) send({ type: 'checkpoint-failed', message: 'the spans of a deleted conversation stay in traces.db-wal until its next checkpoint' });
  } catch (error) {
    send({ type: 'checkpoint-failed', message: `could not delete the spans of a deleted conversation: ${(error as Error).message}` });
  }
}
