import type { Database, Statement } from 'better-sqlite3';
import { immediateTransaction } from '../storage/immediate-transaction';

/** How many results one transaction indexes: a few milliseconds of the main thread at the most. */
const BATCH = 50;

/**
 * Adds the words of the results tool_calls' trigger listed (`tool_result_rows.indexed = 0`, migration 17) to
 * `tool_results_fts`: off the call's path, in batches, each in one transaction with the rows it marks indexed, so
 * a crash leaves a row either listed or indexed, never half. Any process on the data folder may run it; one that
 * finds a row another has just indexed skips it (its batch is read inside the write transaction).
 */
export class ToolResultIndexer {
  private readonly pendingStatement: Statement<[number], number>;
  private readonly addStatement: Statement<[string]>;
  private readonly markStatement: Statement<[string]>;
  private readonly transaction: <T>(write: () => T) => T;

  constructor(db: Database) {
    this.pendingStatement = db.prepare<[number], number>('SELECT seq FROM tool_result_rows WHERE indexed = 0 ORDER BY seq LIMIT ?').pluck();
    this.addStatement = db.prepare(
      'INSERT INTO tool_results_fts(rowid, content) SELECT seq, content FROM tool_result_unindexed_texts WHERE seq IN (SELECT value FROM json_each(?))',
    );
    this.markStatement = db.prepare('UPDATE tool_result_rows SET indexed = 1 WHERE seq IN (SELECT value FROM json_each(?))');
    this.transaction = immediateTransaction(db);
  }

  /** Whether a result waits to be indexed (one look at a partial index). */
  hasPending(): boolean {
    return this.pendingStatement.all(1).length > 0;
  }

  /** Indexes up to one batch; returns how many it indexed (0: none was waiting). */
  indexBatch(size: number = BATCH): number {
    return this.transaction(() => {
      const batch = this.pendingStatement.all(size);
      if (batch.length === 0) return 0;
      const seqs = JSON.stringify(batch);
      this.addStatement.run(seqs);
      this.markStatement.run(seqs);
      return batch.length;
    });
  }

  /** Indexes every waiting result (before a search, which must miss none). */
  indexAll(): number {
    let total = 0;
    for (let done = this.indexBatch(); done > 0; done = this.indexBatch()) total += done;
    return total;
  }
}
