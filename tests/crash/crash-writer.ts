/**
 * The crash harness's victim: writes conversations as fast as it can through the real stores and prints
 * `ack <kind> <id>` on stdout (synchronously) only after each write has returned, i.e. has been acknowledged.
 * Spans go to their own file, as the runtime stores them. Usage: node crash-writer.cjs <database file> <traces file> <seed>
 */
import { writeSync } from 'node:fs';
import { openDatabase } from '../../src/core/storage/database';
import { ApprovalStore } from '../../src/core/storage/stores/approval-store';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { SpanStore } from '../../src/core/storage/stores/span-store';
import { openTracesConnection } from '../../src/core/storage/traces/open-traces-database';
import { ToolCallStore } from '../../src/core/storage/stores/tool-call-store';
import { MemoryStore } from '../../src/core/memory/memory-store';

const [file, tracesFile, seedText] = process.argv.slice(2);
const seed = Number(seedText ?? 0);
const db = openDatabase(file!, { check: 'none' });
const conversations = new ConversationStore(db);
const messages = new MessageStore(db);
const toolCalls = new ToolCallStore(db);
const approvals = new ApprovalStore(db);
const spans = new SpanStore(openTracesConnection(tracesFile!, 'none'));
const memories = new MemoryStore(db);
const ack = (kind: string, id: string): void => void writeSync(1, `ack ${kind} ${id}\n`);
// The harness's own check: a writer that acknowledges before writing must be caught.
const early = process.env.PORTCULLIS_CRASH_ACK_EARLY === '1';
const acknowledged = (kind: string, id: string, write: () => void): void => {
  if (early) ack(kind, id);
  write();
  if (!early) ack(kind, id);
};
const words = ['alpha', 'budget', 'cactus', 'dentist', 'ember', 'fjord', 'granite', 'harbor', 'indigo', 'juniper'];

for (let n = 0; ; n++) {
  const conversationId = `s${seed}-c${n}`;
  const now = Date.now();
  acknowledged('conversation', conversationId, () => conversations.create({ id: conversationId, title: `crash ${seed}/${n}`, createdAt: now, updatedAt: now }));
  for (let i = 0; i < 8; i++) {
    const id = `${conversationId}-m${i}`;
    const text = Array.from({ length: 5 + ((n * 7 + i) % 60) }, (_, k) => words[(n + i + k) % words.length]).join(' ');
    acknowledged('message', id, () => messages.append({ id, conversationId, turnId: `t${n}`, role: i % 2 === 0 ? 'user' : 'assistant', content: text, traceId: null, createdAt: Date.now() }));
  }
  const toolCallId = `${conversationId}-tc`;
  toolCalls.insert({
    id: toolCallId, conversationId, turnId: `t${n}`, toolName: 'fs.write', arguments: { path: 'a.txt', content: 'x' },
    decision: { effect: 'ask', ruleId: 'default', reason: 'mutating' }, approval: null, status: 'awaiting_approval', error: null, startedAt: now, endedAt: null,
  });
  const approvalId = `${conversationId}-ap`;
  approvals.insert({ id: approvalId, toolCallId, conversationId, requestedAt: now, expiresAt: now + 1000 });
  acknowledged('approval', approvalId, () => approvals.decide(approvalId, 'approved', Date.now(), null));
  acknowledged('memory', `${conversationId}-k`, () =>
    memories.save({ id: `${conversationId}-k`, content: `fact ${n} ${words[n % words.length]}`, sourceMessageId: `${conversationId}-m0`, conversationId, createdAt: now, updatedAt: now }),
  );
  spans.insert(Array.from({ length: 4 }, (_, k) => ({
    traceId: 'f'.repeat(32), spanId: `${seed.toString(16)}${n.toString(16)}x${k}`.padEnd(16, '0').slice(0, 16), parentSpanId: null, name: 'turn', kind: 'turn' as const,
    startTime: now, endTime: now + 1, status: 'ok' as const, statusMessage: null, attributes: { n },
  })));
}
