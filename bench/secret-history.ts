import { join } from 'node:path';
import { openDatabase } from '../src/core/storage/database';
import { openTracesConnection } from '../src/core/storage/traces/open-traces-database';

const WORDS = 'the quick brown fox jumps over lazy dog while agent reads files and writes notes about project status'.split(' ');
const text = (words: number, i: number): string => Array.from({ length: words }, (_, k) => WORDS[(i * 7 + k * 13) % WORDS.length]).join(' ');

/**
 * What an older Portcullis left in `dir`: `messages` messages of 50 words in conversations of 100, a tool call
 * with a 150-word result for every second one, and two spans per message; one row in a thousand holds `canary`
 * (typed in a chat, said back by a tool) from before it was a secret. Rows are dated from `at` on.
 */
export function fillSecretHistory(dir: string, options: { messages: number; canary: string; at: number }): void {
  const { messages: n, canary, at } = options;
  const main = openDatabase(join(dir, 'portcullis.db'));
  const traces = openTracesConnection(join(dir, 'traces.db'));
  const conversations = Math.max(1, Math.round(n / 100));
  main.transaction(() => {
    const conversation = main.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)');
    const message = main.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES (?, ?, 't', 'user', ?, 0)");
    const call = main.prepare("INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, status, result_json, started_at) VALUES (?, ?, 't', 'fs.read', ?, 'succeeded', ?, 0)");
    for (let c = 0; c < conversations; c++) conversation.run(`c${c}`, `conversation ${c}`, at, at);
    for (let i = 0; i < n; i++) {
      const planted = i % 1000 === 0 ? ` token ${canary}` : '';
      message.run(`m${i}`, `c${i % conversations}`, text(50, i) + planted);
      if (i % 2 === 0) call.run(`tc${i}`, `c${i % conversations}`, JSON.stringify({ path: `notes/${i}.txt` }), JSON.stringify({ content: [{ type: 'text', text: text(150, i) + planted }] }));
    }
  })();
  traces.transaction(() => {
    const span = traces.prepare("INSERT INTO spans (span_id, trace_id, name, kind, start_time, end_time, status, attributes_json) VALUES (?, ?, 'execute_tool', 'tool', ?, ?, 'ok', ?)");
    for (let i = 0; i < 2 * n; i++) span.run(`s${i}`, `t${i >> 2}`, at + i, at + i + 1, JSON.stringify({ 'gen_ai.tool.name': 'fs.read', 'gen_ai.tool.call.result': text(60, i) + (i % 1000 === 0 ? canary : '') }));
  })();
  main.pragma('wal_checkpoint(TRUNCATE)');
  traces.pragma('wal_checkpoint(TRUNCATE)');
  main.close();
  traces.close();
}
