import type { Migration } from './migration';
import { searchableText } from './017-tool-results-search';

/**
 * A call's first result is listed for search by the indexer, not by a trigger in the call's end commit. Migration
 * 17's trigger added a `tool_result_rows` row (its AUTOINCREMENT counter, its unique index, the unindexed rows'
 * index) in the same commit that ended the call: about a tenth of a governed call's time (docs/storage.md). Now the
 * end commit only sets `result_json`, and a partial index over `tool_calls` (a result not yet listed) is what
 * tells the indexer, which lists the result and then adds its words (`ToolResultIndexer`). The marker is written in
 * the call's own commit, so a crash leaves no result unlisted; a search still indexes everything waiting first.
 * A result rewritten or taken away (the secrets scrub) still takes its words out and lists the new one at once, as
 * before; a deleted row too.
 *
 * The column's default, 1 (listed), is what the rows stored before read: their results were listed by migration
 * 17's triggers, and setting it on each of them rewrote every stored result (670 ms and an 82 MB WAL for 20,000
 * results of 3 KB). `ToolCallStore` writes 0 for each new call; the calls still open here (a process of the
 * previous build may end one) get 0 too, a few rows. Version 23.
 */
export const migration023: Migration = {
  version: 23,
  name: 'results listed by the indexer',
  up(db) {
    db.exec(`
      ALTER TABLE tool_calls ADD COLUMN result_listed INTEGER NOT NULL DEFAULT 1;
      UPDATE tool_calls SET result_listed = 0 WHERE result_json IS NULL AND ended_at IS NULL;
      CREATE INDEX tool_calls_unlisted_results ON tool_calls(result_listed) WHERE result_json IS NOT NULL AND result_listed = 0;
      DROP TRIGGER tool_results_fts_insert;
      DROP TRIGGER tool_results_fts_update;
      CREATE TRIGGER tool_results_fts_update AFTER UPDATE OF result_json ON tool_calls
        WHEN old.result_json IS NOT NULL AND old.result_json IS NOT new.result_json BEGIN
        INSERT INTO tool_results_fts(tool_results_fts, rowid, content)
          SELECT 'delete', seq, ${searchableText('old.result_json')} FROM tool_result_rows WHERE tool_call_id = old.id AND indexed = 1;
        DELETE FROM tool_result_rows WHERE tool_call_id = old.id;
        INSERT INTO tool_result_rows(tool_call_id) SELECT new.id WHERE new.result_json IS NOT NULL AND new.tool_name NOT GLOB 'memory.*';
      END;
    `);
  },
};
