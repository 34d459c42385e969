/**
 * The index of tools' results (migration 17), on a history of N stored results (default 50,000: 5,000
 * conversations of 10 calls; a file read of 3 KB of CSV, a server's text of 1 KB, a folder listing, and one
 * result in ten of 24 KB, of which the first 8,000 characters are indexed):
 * - the upgrade: migration 17 listing every stored result (ms), then the indexer adding all their words, once (ms),
 *   and what both add to the file;
 * - a call's result written by the gateway (its row updated with the result) with the index's triggers, which only
 *   list it, against the same write at schema 16; and the indexer's cost per result, in its batches of 50;
 * - a search for a word found in 1% of the results (the person's search, all three indexes);
 * - deleting one conversation of 10 calls, against schema 16.
 * Usage: tsx bench/tool-results-search.bench.ts [--results N]
 */
import type BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SearchIndex } from '../src/core/memory/search-index';
import { openDatabase } from '../src/core/storage/database';
import { migrate } from '../src/core/storage/migrate';
import { compare, measure, report } from './harness';

const { values } = parseArgs({ options: { results: { type: 'string', default: '50000' } } });
const RESULTS = Number(values.results);
const CALLS = 10;
const CONVERSATIONS = Math.ceil(RESULTS / CALLS);
const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-tool-results-'));

const WORDS = 'revenue churn quarter region north south east west total margin cost forecast budget invoice customer account plan target actual variance'.split(' ');
let seed = 7;
const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const word = (): string => WORDS[Math.floor(random() * WORDS.length)]!;
const line = (n: number): string => Array.from({ length: n }, word).join(',');
const text = (chars: number): string => {
  let out = '';
  while (out.length < chars) out += `${line(6)},${Math.floor(random() * 10_000)}\n`;
  return out;
};

/** The result of call `i`: what fs.read, an MCP server or fs.list return; one in a hundred holds "zanzibar". */
function result(i: number): string {
  const rare = i % 100 === 0 ? ' zanzibar' : '';
  if (i % 10 === 9) return JSON.stringify({ path: `exports/big-${i}.csv`, content: text(24_000) + rare, bytes: 24_000 });
  switch (i % 3) {
    case 0:
      return JSON.stringify({ path: `reports/q${i % 4}-${i}.csv`, content: text(3_000) + rare, bytes: 3_000 });
    case 1:
      return JSON.stringify({ content: [{ type: 'text', text: text(1_000) + rare }] });
    default:
      return JSON.stringify({ path: '.', entries: Array.from({ length: 20 }, (_, e) => ({ name: `${word()}-${e}.md`, type: 'file', size: e * 100 })), truncated: false });
  }
}

function history(name: string, schema: number): BetterSqlite3.Database {
  const db = openDatabase(join(dir, `${name}.db`), { migrateTo: schema });
  const conversation = db.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const call = db.prepare(
    "INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, decision_effect, status, result_json, started_at, ended_at) VALUES (?, ?, ?, 'fs.read', '{}', 'allow', 'succeeded', ?, ?, ?)",
  );
  db.pragma('synchronous = OFF'); // generation only
  db.transaction(() => {
    for (let c = 0; c < CONVERSATIONS; c++) {
      conversation.run(`c${c}`, `Conversation ${c}`, c, c);
      for (let t = 0; t < CALLS; t++) call.run(`c${c}t${t}`, `c${c}`, `c${c}t${t}`, result(c * CALLS + t), c, c);
    }
  })();
  db.pragma('synchronous = FULL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return db;
}

const fileBytes = (db: BetterSqlite3.Database): number => (db.pragma('wal_checkpoint(TRUNCATE)'), statSync(db.name).size);

async function main(): Promise<void> {
  const indexed = history('indexed', 16);
  const before = fileBytes(indexed);
  const started = performance.now();
  migrate(indexed);
  const upgradeMs = performance.now() - started;
  const search = new SearchIndex(indexed);
  const indexing = performance.now();
  search.toolResults.indexAll();
  const indexAllMs = performance.now() - indexing;
  const after = fileBytes(indexed);
  const plain = history('plain', 16);

  // The gateway's end of a call: the row written before it ran gets its result.
  const writer = (db: BetterSqlite3.Database, name: string) => {
    const insert = db.prepare("INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, status, started_at) VALUES (?, 'c0', 't', 'fs.read', '{}', 'running', 0)");
    const update = db.prepare("UPDATE tool_calls SET status = 'succeeded', result_json = ?, ended_at = 1 WHERE id = ?");
    let n = 0;
    return () => {
      const id = `${name}-new-${n++}`;
      insert.run(id);
      update.run(result(n), id);
    };
  };
  const write = await compare('a call and its result written (fsynced), index vs none', writer(indexed, 'i'), writer(plain, 'p'), { iterations: 300, rounds: 3 });
  const listed = Number(indexed.prepare('SELECT count(*) FROM tool_result_rows WHERE indexed = 0').pluck().get());
  const batching = performance.now();
  search.toolResults.indexAll();
  const indexPerResultMicros = ((performance.now() - batching) * 1_000) / listed;
  let next = 1;
  const deleteOne = (db: BetterSqlite3.Database) => () => db.prepare('DELETE FROM conversations WHERE id = ?').run(`c${next++}`);
  const deletion = await compare('delete a conversation of 10 calls, index vs none', deleteOne(indexed), deleteOne(plain), { iterations: 200, rounds: 4, interleave: 'call' });
  const found = search.search('zanzibar', { toolResults: true, limit: 30 }).length;
  if (found === 0) throw new Error('the rare word is not found');
  const query = await measure('search "zanzibar" (messages, memories and results)', () => search.search('zanzibar', { toolResults: true, limit: 30 }), { iterations: 200 });
  report('Search over tools’ results', [write, deletion], {
    results: RESULTS,
    upgradeMs: Math.round(upgradeMs),
    indexAllMs: Math.round(indexAllMs),
    indexPerResultMicros: Math.round(indexPerResultMicros),
    fileMbBeforeAfter: [Number((before / 2 ** 20).toFixed(1)), Number((after / 2 ** 20).toFixed(1))],
    searchP50Ms: Number((query.p50 / 1_000).toFixed(2)),
    searchP99Ms: Number((query.p99 / 1_000).toFixed(2)),
  });
  indexed.close();
  plain.close();
  rmSync(dir, { recursive: true, force: true });
}

void main();
