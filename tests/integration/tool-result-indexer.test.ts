import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SearchIndex } from '../../src/core/memory/search-index';
import { openDatabase } from '../../src/core/storage/database';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { ToolCallStore } from '../../src/core/storage/stores/tool-call-store';
import type { ToolCallRecord } from '../../src/shared/domain/tool-call';
import { tempDir } from '../helpers/temp-dir';

const running = (id: string): ToolCallRecord => ({
  id, conversationId: 'c1', turnId: 't', toolName: 'files.read_text', arguments: {}, decision: { effect: 'allow', ruleId: 'r', reason: 'read-only' },
  approval: null, status: 'running', error: null, startedAt: 1, endedAt: null,
});
const succeeded = (id: string, text: string): ToolCallRecord => ({ ...running(id), status: 'succeeded', result: { content: [{ type: 'text', text }] }, endedAt: 2 });

const indexedWords = (db: BetterSqlite3.Database) => Number(db.prepare('SELECT count(*) FROM tool_results_fts_docsize').pluck().get());
const consistent = (db: BetterSqlite3.Database) => db.exec("INSERT INTO tool_results_fts(tool_results_fts) VALUES ('integrity-check')");

function database() {
  const db = openDatabase(join(tempDir(), 'portcullis.db'));
  new ConversationStore(db).create({ id: 'c1', title: 'Chat', createdAt: 1, updatedAt: 1 });
  return { db, calls: new ToolCallStore(db), search: new SearchIndex(db) };
}

describe("tools' results are indexed off the call's path", () => {
  it('a written result is only listed; the next search indexes it first, so it misses none', () => {
    const { db, calls, search } = database();
    calls.insert(running('a'));
    calls.update(succeeded('a', 'ibiswordone in a result'));
    // The call's own commit wrote no index entry: that is the indexer's, later.
    expect(indexedWords(db)).toBe(0);
    expect(search.toolResults.hasPending()).toBe(true);
    consistent(db);

    expect(search.search('ibiswordone', { toolResults: true }).map((hit) => hit.id)).toEqual(['a']);
    expect(search.toolResults.hasPending()).toBe(false);
    expect(indexedWords(db)).toBe(1);
    consistent(db);
    db.close();
  });

  it("a call's end commit writes nothing for search but the marker on its own row; the indexer lists it, memory tools' results only marked", () => {
    const { db, calls, search } = database();
    const listed = () => db.prepare('SELECT tool_call_id FROM tool_result_rows ORDER BY seq').pluck().all();
    // More memory tools' results than one batch, first: indexing everything does not stop at a batch that only marked.
    for (let i = 0; i < 60; i++) calls.insert({ ...succeeded(`m${i}`, 'kitewordmemory'), toolName: 'memory.save' });
    calls.insert(running('a'));
    calls.update(succeeded('a', 'kitewordone'));
    // No listing row, AUTOINCREMENT counter or index entry of tool_result_rows in the call's commit (docs/storage.md).
    expect(listed()).toEqual([]);
    expect(db.prepare('SELECT result_listed FROM tool_calls WHERE id = ?').pluck().get('a')).toBe(0);
    expect(search.toolResults.hasPending()).toBe(true);
    calls.insert(succeeded('b', 'kitewordtwo'));
    expect(search.toolResults.indexAll()).toBe(2);
    expect(listed()).toEqual(['a', 'b']);
    expect(search.toolResults.hasPending()).toBe(false);
    expect(search.search('kitewordmemory', { toolResults: true })).toEqual([]);
    expect(search.search('kitewordtwo', { toolResults: true }).map((hit) => hit.id)).toEqual(['b']);
    consistent(db);
    db.close();
  });

  it('in batches: each marks what it added, and a second run adds nothing twice', () => {
    const { db, calls, search } = database();
    for (let i = 0; i < 7; i++) calls.insert(succeeded(`r${i}`, `heronword number ${i}`));
    expect(search.toolResults.indexBatch(3)).toBe(3);
    expect(search.toolResults.indexBatch(3)).toBe(3);
    expect(search.toolResults.indexAll()).toBe(1);
    expect(search.toolResults.indexAll()).toBe(0);
    expect(indexedWords(db)).toBe(7);
    consistent(db);
    db.close();
  });

  it('a row deleted or rewritten before it was indexed leaves the index whole, and its old words are never found', () => {
    const { db, calls, search } = database();
    calls.insert(succeeded('gone', 'egretwordgone'));
    calls.insert(succeeded('changed', 'egretwordold'));
    db.prepare("DELETE FROM tool_calls WHERE id = 'gone'").run();
    calls.update(succeeded('changed', 'egretwordnew'));
    consistent(db);
    expect(search.search('egretwordgone', { toolResults: true })).toEqual([]);
    expect(search.search('egretwordold', { toolResults: true })).toEqual([]);
    expect(search.search('egretwordnew', { toolResults: true }).map((hit) => hit.id)).toEqual(['changed']);

    // And once indexed, a rewrite takes the old words out and lists the new ones.
    calls.update(succeeded('changed', 'ospreywordlast'));
    expect(search.search('egretwordnew', { toolResults: true })).toEqual([]);
    expect(search.search('ospreywordlast', { toolResults: true }).map((hit) => hit.id)).toEqual(['changed']);
    consistent(db);
    db.close();
  });
});
