/**
 * What a model step reads of a conversation's past: the newest turns that fit its history budget (24,000
 * estimated tokens), converted to model messages as the turn runner does. Measured in a conversation ten times
 * longer than the baseline's (same database, same pragmas): a step should cost what it sends, so the goal is a
 * ratio near 1. The second row is the whole-conversation read a step did before, for the same two conversations.
 * Usage: tsx bench/history.bench.ts [--turns N]  (the long conversation; the short one has N / 10)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Message } from '../src/shared/domain/message';
import { DEFAULT_HISTORY_TOKENS, fitHistory, fitNewestHistory, type HistoryWindow } from '../src/core/orchestrator/history-window';
import { toModelMessages } from '../src/core/orchestrator/model-history';
import { estimateTokens } from '../src/core/orchestrator/turn-budget';
import { openDatabase } from '../src/core/storage/database';
import { MessageStore } from '../src/core/storage/stores/message-store';
import { compare, report } from './harness';

const { values } = parseArgs({ options: { turns: { type: 'string', default: '2500' } } });
const LONG = Number(values.turns);
const SHORT = Math.round(LONG / 10);
const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-history-'));
const db = openDatabase(join(dir, 'portcullis.db'));

/** `turns` turns of an agent reading a file: the request, the call, its result (~90 tokens), the reply. */
function seed(id: string, turns: number): void {
  db.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, 0, 0)').run(id, id);
  const call = db.prepare(
    "INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, decision_effect, status, result_json, started_at, ended_at) VALUES (?, ?, ?, 'fs.read', '{\"path\":\"notes.md\"}', 'allow', 'succeeded', ?, 0, 1)",
  );
  const message = db.prepare('INSERT INTO messages (id, conversation_id, turn_id, role, content, tool_calls_json, tool_call_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let t = 0; t < turns; t++) {
      const turn = `${id}-t${t}`;
      message.run(`${turn}u`, id, turn, 'user', `read notes.md, part ${t}`, null, null, t);
      message.run(`${turn}a`, id, turn, 'assistant', '', JSON.stringify([{ id: `${turn}c`, name: 'fs.read', arguments: { path: 'notes.md' } }]), null, t);
      call.run(`${turn}c`, id, turn, JSON.stringify({ content: `note ${t} `.repeat(40) }));
      message.run(`${turn}t`, id, turn, 'tool', '', null, `${turn}c`, t);
      message.run(`${turn}r`, id, turn, 'assistant', `Part ${t} of notes.md says what it says.`, null, null, t);
    }
  })();
}

const store = new MessageStore(db);
const tokensOf = (message: Message) => estimateTokens(JSON.stringify(toModelMessages([message])[0]));
const newest = (id: string): HistoryWindow =>
  fitNewestHistory({ newest: (count) => store.listNewest(id, count), total: () => store.count(id) }, DEFAULT_HISTORY_TOKENS, tokensOf);
const whole = (id: string): HistoryWindow => fitHistory(store.list(id), DEFAULT_HISTORY_TOKENS, tokensOf);

async function main(): Promise<void> {
  seed('long', LONG);
  seed('short', SHORT);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const sent = newest('long');
  if (sent.omitted === 0 || JSON.stringify(sent) !== JSON.stringify(whole('long'))) throw new Error('the paged read must send what the whole read sends');

  const label = `${(LONG * 4).toLocaleString('en')} vs ${(SHORT * 4).toLocaleString('en')} messages`;
  const paged = await compare(`a model step's history, read from the newest end: ${label}`, () => newest('long'), () => newest('short'), {
    iterations: 200,
    rounds: 5,
    goal: '≈ 1× (costs what it sends)',
  });
  const before = await compare(`the same, reading the whole conversation (before): ${label}`, () => whole('long'), () => whole('short'), { iterations: 50, rounds: 5 });
  report('A model step reading a long conversation', [paged, before], { messagesSent: sent.messages.length, messagesLeftOut: sent.omitted });
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

void main();
