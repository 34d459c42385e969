import type { Migration } from './migration';

/** How much of each result is searchable: its start, as the model and the card read it first. */
export const SEARCHED_RESULT_CHARS = 8_000;

/**
 * The searchable text of a stored result (`result_json`), as one SQL expression: an MCP result's text parts (and
 * its embedded resources' text), else every string in the value (a built-in tool's `{path, content}`, a string
 * result), never its keys, quotes or escapes; cut to the first `SEARCHED_RESULT_CHARS` characters. The triggers
 * that add a result and those that take it out use this same expression on the same stored JSON, so an
 * external-content FTS5 `delete` removes exactly the words that were added. JSON that SQLite will not read
 * (nested deeper than it allows) gives '' rather than an error that would refuse the call's row. The parts come in
 * the order json_each and json_tree walk the value, the document's; no `group_concat(… ORDER BY …)` (SQLite 3.44),
 * which older sqlite3 shells (Debian 12 ships 3.40) cannot parse, so that they could not open the file at all.
 */
export function searchableText(json: string): string {
  return `substr(CASE WHEN NOT json_valid(${json}) THEN ''
    WHEN json_type(${json}, '$.content') = 'array' THEN coalesce((
      SELECT group_concat(coalesce(json_extract(value, '$.text'), json_extract(value, '$.resource.text')), char(10))
      FROM json_each(${json}, '$.content')
      WHERE json_type(value, '$.text') = 'text' OR json_type(value, '$.resource.text') = 'text'), '')
    ELSE coalesce((SELECT group_concat(value, char(10)) FROM json_tree(${json}) WHERE type = 'text'), '')
  END, 1, ${SEARCHED_RESULT_CHARS})`;
}

/**
 * A full-text index of what tools returned: a tool message's content is '' (the result lives in
 * `tool_calls.result_json`), so search never found a file the agent read. `tool_results_fts` is an
 * external-content FTS5 table over the view `tool_result_texts`, which computes each result's searchable text
 * from the stored JSON, so no second copy of it is kept. Its rowids are `tool_result_rows.seq`, an INTEGER
 * PRIMARY KEY (tool_calls' own rowid may change in a VACUUM, its key being text).
 *
 * A result's words are added off the call's path: the trigger on tool_calls only lists the row (`indexed` 0), and
 * `ToolResultIndexer` adds the listed rows' words in batches, when the runtime is idle and before any search, so a
 * search never misses one. Indexing in the trigger made every call's end commit ~120 µs slower (390 vs 273 µs
 * p50), a cost on the gateway's path for something only a search reads. The views show indexed rows only
 * (`tool_result_texts`, what FTS5 reads for snippets and its integrity check) and listed ones
 * (`tool_result_unindexed_texts`, what the indexer adds). A row deleted (a conversation's deletion, retention,
 * "delete everything", all through the cascade) or whose result is rewritten takes its words out, with the same
 * expression over the same stored JSON, so the `delete` sees what the insert added. Secure-delete on, as for the
 * other indexes (migration 11). Stored results are listed here, and indexed by the first run. Results are masked
 * (secrets) before they are stored, so the index holds no more than the row. Version 17.
 */
export const migration017: Migration = {
  version: 17,
  name: 'tool results search',
  up(db) {
    db.exec(`
      CREATE TABLE tool_result_rows (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tool_call_id TEXT NOT NULL UNIQUE,
        indexed INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX tool_result_rows_unindexed ON tool_result_rows(seq) WHERE indexed = 0;
      CREATE VIEW tool_result_texts AS
        SELECT r.seq, ${searchableText('t.result_json')} AS content
        FROM tool_result_rows r JOIN tool_calls t ON t.id = r.tool_call_id WHERE r.indexed = 1;
      CREATE VIEW tool_result_unindexed_texts AS
        SELECT r.seq, ${searchableText('t.result_json')} AS content
        FROM tool_result_rows r JOIN tool_calls t ON t.id = r.tool_call_id WHERE r.indexed = 0;
      CREATE VIRTUAL TABLE tool_results_fts USING fts5(
        content, content='tool_result_texts', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
      );
      INSERT INTO tool_results_fts(tool_results_fts, rank) VALUES ('secure-delete', 1);

      -- The memory tools' results are not indexed: they repeat a memory or other hits, searchable as those, and a
      -- forgotten memory would stay findable through the call that saved it.
      CREATE TRIGGER tool_results_fts_insert AFTER INSERT ON tool_calls WHEN new.result_json IS NOT NULL AND new.tool_name NOT GLOB 'memory.*' BEGIN
        INSERT INTO tool_result_rows(tool_call_id) VALUES (new.id);
      END;
      CREATE TRIGGER tool_results_fts_delete AFTER DELETE ON tool_calls WHEN old.result_json IS NOT NULL BEGIN
        INSERT INTO tool_results_fts(tool_results_fts, rowid, content)
          SELECT 'delete', seq, ${searchableText('old.result_json')} FROM tool_result_rows WHERE tool_call_id = old.id AND indexed = 1;
        DELETE FROM tool_result_rows WHERE tool_call_id = old.id;
      END;
      -- Every step of a call rewrites result_json (mostly null to null): only a changed result touches the index.
      CREATE TRIGGER tool_results_fts_update AFTER UPDATE OF result_json ON tool_calls WHEN old.result_json IS NOT new.result_json BEGIN
        INSERT INTO tool_results_fts(tool_results_fts, rowid, content)
          SELECT 'delete', seq, ${searchableText('old.result_json')} FROM tool_result_rows
          WHERE tool_call_id = old.id AND indexed = 1 AND old.result_json IS NOT NULL;
        DELETE FROM tool_result_rows WHERE tool_call_id = old.id;
        INSERT INTO tool_result_rows(tool_call_id) SELECT new.id WHERE new.result_json IS NOT NULL AND new.tool_name NOT GLOB 'memory.*';
      END;

      INSERT INTO tool_result_rows(tool_call_id) SELECT id FROM tool_calls WHERE result_json IS NOT NULL AND tool_name NOT GLOB 'memory.*';
    `);
  },
};
