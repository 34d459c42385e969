/**
 * Persistent memory, side by side with bare better-sqlite3 on the same pragmas:
 * - message append (MessageStore.append: insert + FTS trigger + read back) vs a bare INSERT of the same row;
 * - search top-20 (SearchIndex: ranked, snippets, joined to conversations, messages and memories) vs the bare
 *   FTS5 query on the same file, over `--messages N` messages (default 1M), for terms in ≤ 5% of messages;
 * - database bytes per 10k messages (file + WAL, FTS index included).
 * Usage: tsx bench/memory.bench.ts [--messages N]
 */
import type BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SearchIndex } from '../src/core/memory/search-index';
import { openDatabase } from '../src/core/storage/database';
import { ConversationStore } from '../src/core/storage/stores/conversation-store';
import { MessageStore } from '../src/core/storage/stores/message-store';
import { compare, report } from './harness';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '1000000' } } });
const TOTAL = Number(values.messages);
const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-memory-'));

/** Planted terms and the share of messages that contain each one. */
const PLANTED: Record<string, number> = { kestrel: 0.05, lantern: 0.02, quasar: 0.01, zephyr: 0.001 };
const VOCABULARY = Array.from({ length: 4_000 }, (_, i) => `w${i.toString(36)}`);

let seed = 42;
const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
function messageText(): string {
  const words: string[] = [];
  const length = 8 + Math.floor(random() * 24);
  // A skewed vocabulary (common words repeat), as real text is.
  for (let i = 0; i < length; i++) words.push(VOCABULARY[Math.floor(VOCABULARY.length * random() ** 2)]!);
  for (const [term, share] of Object.entries(PLANTED)) if (random() < share) words.splice(Math.floor(random() * words.length), 0, term);
  return words.join(' ');
}

/** Fills the project database through its real schema (FTS triggers included), 20k rows per transaction. */
function generate(db: BetterSqlite3.Database, total: number): void {
  const conversation = db.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const message = db.prepare(
    "INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES (?, ?, ?, 'user', ?, ?)",
  );
  db.pragma('synchronous = OFF'); // generation only: the measured operations below run with the real setting
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const conversationId = `c${Math.floor(i / 50)}`;
      if (i % 50 === 0) conversation.run(conversationId, `Conversation ${i / 50}`, i, i);
      message.run(`m${i}`, conversationId, `t${Math.floor(i / 2)}`, messageText(), i);
    }
  });
  for (let from = 0; from < total; from += 20_000) batch(from, Math.min(total, from + 20_000));
  db.pragma('synchronous = FULL');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

function bytesOf(db: BetterSqlite3.Database): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
}

async function main(): Promise<void> {
  // 1. Append: both files fresh, same pragmas (WAL, synchronous=FULL, foreign keys, secure_delete, auto_vacuum).
  const projectDb = openDatabase(join(dir, 'project.db'));
  const bareDb = openDatabase(join(dir, 'bare.db'));
  const now = Date.now();
  new ConversationStore(projectDb).create({ id: 'append', title: 'append', createdAt: now, updatedAt: now });
  bareDb.prepare("INSERT INTO conversations VALUES ('append', 'append', 0, 0)").run();
  const store = new MessageStore(projectDb);
  const bareInsert = bareDb.prepare(
    'INSERT INTO messages (id, conversation_id, turn_id, role, content, tool_calls_json, tool_call_id, trace_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let n = 0;
  const append = await compare(
    'message append (synchronous=FULL)',
    () => store.append({ id: `p${n++}`, conversationId: 'append', turnId: 't', role: 'user', content: messageText(), traceId: null, createdAt: n }),
    () => bareInsert.run(`b${n++}`, 'append', 't', 'user', messageText(), null, null, null, n),
    { iterations: 500, goal: '≤ 1.5×' },
  );
  projectDb.close();
  bareDb.close();

  // 2. Search over TOTAL messages: one file, filled through the project's schema.
  const file = join(dir, 'search.db');
  const db = openDatabase(file);
  const started = performance.now();
  generate(db, TOTAL);
  const generateSeconds = (performance.now() - started) / 1_000;
  const bytes = bytesOf(db);
  const index = new SearchIndex(db);
  const bare = db.prepare(
    // The same output (top 20 by bm25, with snippets) in its fastest bare form; see SearchIndex on rank vs bm25().
    "SELECT rowid, snippet(messages_fts, 0, '[', ']', '…', 16) AS snippet, bm25(messages_fts) AS score FROM messages_fts WHERE messages_fts MATCH ? ORDER BY score LIMIT 20",
  );
  const terms = Object.keys(PLANTED);
  let q = 0;
  let r = 0;
  const search = await compare(
    `search top-20 over ${TOTAL.toLocaleString('en')} messages`,
    () => index.search(terms[q++ % terms.length]!, { limit: 20 }),
    () => bare.all(`"${terms[r++ % terms.length]}"`),
    { iterations: 200, rounds: 4, goal: '≤ 1.5×, p95 ≤ 100 ms' },
  );
  // p95 of the project's search, per term and overall.
  const perTerm: Record<string, number> = {};
  const all: number[] = [];
  for (const term of terms) {
    const samples: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      index.search(term, { limit: 20 });
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    perTerm[`${term} (${PLANTED[term]! * 100}%)`] = Number(samples[Math.floor(samples.length * 0.95)]!.toFixed(2));
    all.push(...samples);
  }
  all.sort((a, b) => a - b);
  db.close();
  report('Persistent memory', [append, search], {
    messages: TOTAL,
    generateSeconds: Number(generateSeconds.toFixed(1)),
    searchP95Ms: Number(all[Math.floor(all.length * 0.95)]!.toFixed(2)),
    searchP95MsByTerm: perTerm,
    databaseBytesPer10kMessages: Math.round((bytes / TOTAL) * 10_000),
  });
  rmSync(dir, { recursive: true, force: true });
}

void main();
