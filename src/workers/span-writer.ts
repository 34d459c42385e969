/**
 * The span writer thread: stores span batches on its own SQLite connection and checkpoints the WAL, so neither
 * ever runs on the main thread between a tool call's request and its answer. Started as a worker_thread by
 * `SpanWriterThread` (src/core/storage/writer/span-writer-thread.ts); spans arrive already redacted.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../core/storage/database';
import { SpanStore } from '../core/storage/stores/span-store';
import type { SpanWriterData, SpanWriterFailure, ToSpanWriter } from '../core/storage/writer/span-writer-protocol';

const { file, progress, checkpointEveryMs, failures } = workerData as SpanWriterData;
const handled = new Int32Array(progress);
const port = parentPort!;
const send = (failure: SpanWriterFailure): void => failures.postMessage(failure);

// The main connection already opened, checked and migrated the file.
const db = openDatabase(file, { check: 'none' });
db.pragma('synchronous = NORMAL');
const spans = new SpanStore(db);

// PASSIVE never waits for the main connection: it copies what it can and leaves the rest for the next round.
const checkpoints = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
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
