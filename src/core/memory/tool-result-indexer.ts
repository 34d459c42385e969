import type { Database, Statement } from 'better-sqlite3';
import { immediateTransaction } from '../storage/immediate-transaction';

/** How many results one transaction indexes: a few milliseconds of the main thread at the most. */
const BATCH = 50;

/**
 * Lists the results calls ended with (`tool_calls.result_listed = 0`, a partial index: migration 23; the call's end
 * commit writes nothing else for search) and adds the words of listed results (`tool_result_rows.indexed = 0`,
 * migration 17) to `tool_results_fts`: off the call's path, in batches, each in one transaction with the rows it
 * marks listed and indexed, so a crash leaves a result unlisted, listed or indexed, never half. Any process on the
 * data folder may run it; one that finds a row another has just indexed skips it (its batch is read inside the
 * write transaction).
 */
export class ToolResultIndexer {
  private readonly unlistedStatement: Statement<[number], { id: string; tool_name: string }>;
  private readonly listStatement: Statement<[string]>;
  private readonly markListedStatement: Statement<[string]>;
  private readonly pendingStatement: Statement<[number], number>;
  private readonly addStatement: Statement<[string]>;
  private readonly markStatement: Statement<[string]>;
  private readonly transaction: <T>(write: () => T) => T;

  constructor(db: Database) {
    this.unlistedStatement = db.prepare<[number], { id: string; tool_name: string }>(
      'SELECT id, tool_name FROM tool_calls WHERE result_json IS NOT NULL AND result_listed = 0 LIMIT ?',
    );
    // The memory tools' results are not listed (migration 17 says why), only marked. OR IGNORE: a result rewritten
    // before it was listed was listed by the rewrite's trigger already.
    this.listStatement = db.prepare(
      "INSERT OR IGNORE INTO tool_result_rows(tool_call_id) SELECT id FROM tool_calls WHERE id IN (SELECT value FROM json_each(?)) AND tool_name NOT GLOB 'memory.*'",
    );
    this.markListedStatement = db.prepare('UPDATE tool_calls SET result_listed = 1 WHERE id IN (SELECT value FROM json_each(?))');
    this.pendingStatement = db.prepare<[number], number>('SELECT seq FROM tool_result_rows WHERE indexed = 0 ORDER BY seq LIMIT ?').pluck();
    this.addStatement = db.prepare(
      'INSERT INTO tool_results_fts(rowid, content) SELECT seq, content FROM tool_result_unindexed_texts WHERE seq IN (SELECT value FROM json_each(?))',
    );
    this.markStatement = db.prepare('UPDATE tool_result_rows SET indexed = 1 WHERE seq IN (SELECT value FROM json_each(?))');
    this.transaction = immediateTransaction(db);
  }

  /** Whether a result waits to be listed or indexed (one look at each of two partial indexes). */
  hasPending(): boolean {
    return this.unlistedStatement.all(1).length > 0 || this.pendingStatement.all(1).length > 0;
  }

  /** Lists and indexes up to one batch; returns how many results it indexed (0: none was waiting). */
  indexBatch(size: number = BATCH): number {
    return this.batch(size).indexed;
  }

  /** Indexes every waiting result (before a search, which must miss none). */
  indexAll(): number {
    let total = 0;
    for (let done = this.batch(BATCH); done.indexed > 0 || done.listed > 0; done = this.batch(BATCH)) total += done.indexed;
    return total;
  }

  private batch(size: number): { listed: number; indexed: number } {
    return this.transaction(() => {
      const unlisted = this.unlistedStatement.all(size);
      if (unlisted.length > 0) {
        const ids = JSON.stringify(unlisted.map((row) => row.id));
        this.listStatement.run(ids);
        this.markListedStatement.run(ids);
      }
      const batch = this.pendingStatement.all(size);
      if (batch.length > 0) {
        const seqs = JSON.stringify(batch);
        this.addStatement.run(seqs);
        this.markStatement.run(seqs);
      }
      return { listed: unlisted.length, indexed: batch.length };
    });
  }
}
