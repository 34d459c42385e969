import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolCallRecord } from '../../src/shared/domain/tool-call';
import { closeInterruptedCalls } from '../../src/core/orchestrator/interrupted-calls';
import { openDatabase } from '../../src/core/storage/database';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { ToolCallStore } from '../../src/core/storage/stores/tool-call-store';
import { tempDir } from '../helpers/temp-dir';

const call = (id: string, turnId: string, status: ToolCallRecord['status'], approval: ToolCallRecord['approval'] = null): ToolCallRecord => ({
  id, conversationId: 'c1', turnId, modelCallId: `model-${id}`, toolName: 'fs.write', arguments: { path: 'a.txt' },
  decision: { effect: 'ask', ruleId: 'default.mutating', reason: 'asks' }, approval, status, error: null, startedAt: 1, endedAt: null,
});

/** What a previous run left behind when it was killed: calls deciding, waiting for a person and running. */
function leftOpen() {
  const db = openDatabase(join(tempDir(), 'p.db'));
  new ConversationStore(db).create({ id: 'c1', title: 'Chat', createdAt: 1, updatedAt: 1 });
  const messages = new MessageStore(db);
  const toolCalls = new ToolCallStore(db);
  messages.append({ id: 'u1', conversationId: 'c1', turnId: 't1', role: 'user', content: 'write things', traceId: null, createdAt: 1 });
  messages.append({
    id: 'a1', conversationId: 'c1', turnId: 't1', role: 'assistant', content: '', traceId: 'trace-1', createdAt: 2,
    toolCalls: ['w1', 'w2', 'w3', 'done'].map((id) => ({ id: `model-${id}`, name: 'fs.write', arguments: { path: 'a.txt' } })),
  });
  toolCalls.insert(call('w1', 't1', 'pending'));
  toolCalls.insert(call('w2', 't1', 'awaiting_approval'));
  toolCalls.insert(call('w3', 't1', 'running', 'approved'));
  toolCalls.insert({ ...call('done', 't1', 'succeeded', 'approved'), result: { ok: true }, endedAt: 3 });
  messages.append({ id: 'r-done', conversationId: 'c1', turnId: 't1', role: 'tool', content: '', toolCallId: 'done', traceId: 'trace-1', createdAt: 3 });
  // `portcullis tools call` records its call in a conversation of its own, with no model reply asking for it.
  toolCalls.insert(call('direct', 'direct-turn', 'running'));
  return { db, messages, toolCalls };
}

describe('calls a previous run left open', () => {
  it('end as interrupted, each one a model asked for answered in its conversation, the direct call without a message', () => {
    const { db, messages, toolCalls } = leftOpen();
    expect(closeInterruptedCalls(toolCalls, messages, 10)).toHaveLength(4);

    const listed = messages.list('c1');
    expect(listed.map((m) => m.toolCall?.id ?? m.id)).toEqual(['u1', 'a1', 'done', 'w1', 'w2', 'w3']);
    for (const answer of listed.slice(3)) {
      expect(answer).toMatchObject({ role: 'tool', turnId: 't1', traceId: 'trace-1', createdAt: 10 });
      expect(answer.toolCall).toMatchObject({ status: 'failed', error: { code: 'TOOL_INTERRUPTED' }, endedAt: 10 });
    }
    // The one that waited for a person ended unanswered; the approved one keeps its approval.
    expect(listed.map((m) => m.toolCall?.approval)).toEqual([undefined, undefined, 'approved', null, 'timed_out', 'approved']);
    expect(toolCalls.get('done')).toMatchObject({ status: 'succeeded', endedAt: 3 });
    expect(toolCalls.get('direct')).toMatchObject({ status: 'failed', error: { code: 'TOOL_INTERRUPTED' } });
    expect(db.prepare("SELECT count(*) AS n FROM messages WHERE tool_call_id = 'direct'").get()).toEqual({ n: 0 });

    // The next start finds nothing left to close, and answers nothing twice.
    expect(closeInterruptedCalls(toolCalls, messages, 20)).toHaveLength(0);
    expect(messages.count('c1')).toBe(6);
    db.close();
  });

  it('of one turn only, when its process ended while others run on: the other turns\' calls stay as they are', () => {
    const { db, messages, toolCalls } = leftOpen();
    expect(closeInterruptedCalls(toolCalls, messages, 10, { conversationId: 'c1', turnId: 'direct-turn' }).map((c) => c.id)).toEqual(['direct']);
    expect(db.prepare("SELECT status FROM tool_calls WHERE id IN ('w1', 'w2', 'w3') ORDER BY id").all()).toEqual([
      { status: 'pending' }, { status: 'awaiting_approval' }, { status: 'running' },
    ]);
    expect(closeInterruptedCalls(toolCalls, messages, 11, { conversationId: 'c2', turnId: 't1' })).toHaveLength(0);
    db.close();
  });

  it('closes and answers in one transaction: a failure while answering leaves every call open for the next start', () => {
    const { db, messages, toolCalls } = leftOpen();
    db.exec("CREATE TRIGGER refuse_tool_messages BEFORE INSERT ON messages WHEN NEW.role = 'tool' BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() => closeInterruptedCalls(toolCalls, messages, 10)).toThrow(/disk full/);
    expect(db.prepare("SELECT status FROM tool_calls WHERE id IN ('w1', 'w2', 'w3') ORDER BY id").all()).toEqual([
      { status: 'pending' }, { status: 'awaiting_approval' }, { status: 'running' },
    ]);
    db.exec('DROP TRIGGER refuse_tool_messages');
    expect(closeInterruptedCalls(toolCalls, messages, 11)).toHaveLength(4);
    db.close();
  });
});
