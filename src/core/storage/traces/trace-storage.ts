import type { Database } from 'better-sqlite3';
import { type DisposableStore, toDisposable } from '../../lifecycle/disposable';
import { SpanWriterThread } from '../writer/span-writer-thread';
import { moveSpansToTracesFile } from './move-spans-to-traces-file';
import { openTracesDatabase } from './open-traces-database';

export interface TraceStorageOptions {
  /** The main connection, to `mainFile` (`portcullis.db`). */
  mainDb: Database;
  mainFile: string;
  tracesFile: string;
  /** The built span writer thread (out/main/span-writer.js). Absent: spans are stored, and WALs checkpointed, on this thread. */
  spanWriterEntry?: string;
  /** A batch the thread could not store. */
  onDropped(count: number, message: string): void;
  /** Said once per problem, for the log: the thread stopped, a checkpoint failed, a damaged traces file was set aside. */
  onProblem(message: string): void;
}

export interface TraceStorage {
  /** This thread's connection to `traces.db`: reads, retention, and the writes while no thread stores them. */
  db: Database;
  writer: SpanWriterThread | undefined;
  /** Spans moved here from an older `portcullis.db` at this start. */
  moved: number;
}

/**
 * Spans live in their own file, `traces.db`, written by the span writer thread: a commit to the main file from
 * another connection would make SQLite drop the main connection's page cache, and the next tool call's commit
 * read its pages again (docs/storage.md). Opens the file, moves in what an older `portcullis.db` still holds, and
 * starts the thread; `disposables` stops the thread (storing what is queued) before the connection closes.
 */
export function openTraceStorage(options: TraceStorageOptions, disposables: DisposableStore): TraceStorage {
  const { mainDb, mainFile, tracesFile } = options;
  const { db, problem } = openTracesDatabase(tracesFile);
  disposables.add(toDisposable(() => void db.close()));
  if (problem) options.onProblem(problem);
  let moved = 0;
  try {
    moved = moveSpansToTracesFile(mainDb, tracesFile);
  } catch (error) {
    options.onProblem(`The spans kept in ${mainFile} could not be moved to ${tracesFile} (${(error as Error).message}); they stay there, and the next start tries again.`);
  }
  const writer = options.spanWriterEntry
    ? disposables.add(new SpanWriterThread({
        entry: options.spanWriterEntry, tracesFile, mainFile, mainDb, fallbackDb: db,
        onDropped: options.onDropped, onProblem: options.onProblem,
      }))
    : undefined;
  return { db, writer, moved };
}
