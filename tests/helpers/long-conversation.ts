import Database from 'better-sqlite3';
import { join } from 'node:path';

/** 1,000 turns of reading a file, written into the database as a long agent session leaves them (~220k tokens). */
export function seedLongConversation(dataDir: string): void {
  const db = new Database(join(dataDir, 'portcullis.db'));
  db.prepare("INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('long', 'A long session', 0, 0)").run();
  const call = db.prepare(
    "INSERT INTO tool_calls (id, conversation_id, turn_id, tool_name, arguments_json, decision_effect, decision_rule_id, decision_reason, status, result_json, started_at, ended_at) VALUES (?, 'long', ?, 'fs.read', '{\"path\":\"notes.md\"}', 'allow', 'default.read-only', 'read-only', 'succeeded', ?, 0, 1)",
  );
  const message = db.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, tool_calls_json, tool_call_id, created_at) VALUES (?, 'long', ?, ?, ?, ?, ?, ?)");
  db.transaction(() => {
    for (let t = 0; t < 1_000; t++) {
      const turn = `t${t}`;
      message.run(`${turn}u`, turn, 'user', `read notes.md number ${t}`, null, null, t);
      message.run(`${turn}a`, turn, 'assistant', '', JSON.stringify([{ id: `${turn}c`, name: 'fs.read', arguments: { path: 'notes.md' } }]), null, t);
      call.run(`${turn}c`, turn, JSON.stringify({ content: `note ${t} `.repeat(50) }));
      message.run(`${turn}t`, turn, 'tool', '', null, `${turn}c`, t);
      message.run(`${turn}r`, turn, 'assistant', `Here is what notes.md says, part ${t}. `.repeat(5), null, null, t);
    }
  })();
  db.close();
}
