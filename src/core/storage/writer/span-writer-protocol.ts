import type { MessagePort } from 'node:worker_threads';
import type { SpanRecord } from '../../../shared/domain/span';

/** What the span writer thread is started with. */
export interface SpanWriterData {
  /** `traces.db`: the thread stores the spans there, on its own connection. */
  tracesFile: string;
  /** `portcullis.db`: the thread only checkpoints its WAL (the main connection's automatic checkpoints are off). */
  mainFile: string;
  /** Int32Array over it: [0] = the last batch sequence number handled (written or failed). */
  progress: SharedArrayBuffer;
  /** How often the thread checkpoints both files' WALs. */
  checkpointEveryMs: number;
  /** A WAL longer than this many pages after the periodic checkpoint is started over with RESTART (`WalCheckpointer`). */
  restartAbovePages: number;
  /** Where failures go, before the batch counts as handled: a read that waited for it can then take them at once. */
  failures: MessagePort;
}

export type ToSpanWriter =
  | { type: 'spans'; seq: number; spans: readonly SpanRecord[] }
  /** These traces were deleted: remove what of them a batch handed over before stored, and store none of them again. */
  | { type: 'forget'; seq: number; traceIds: readonly string[] }
  | { type: 'close' };

export type SpanWriterFailure = { type: 'failed'; seq: number; count: number; message: string } | { type: 'checkpoint-failed'; message: string };
