import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolCallRecord } from '../../src/shared/domain/tool-call';
import { personDecided, TIMEOUT } from '../../src/shared/approval-decider';
import { describeDecision } from '../../src/shared/tool-call-words';
import { openDatabase } from '../../src/core/storage/database';
import { ApprovalStore } from '../../src/core/storage/stores/approval-store';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { ToolCallStore } from '../../src/core/storage/stores/tool-call-store';
import { tempDir } from '../helpers/temp-dir';

const asked = (id: string, approval: ToolCallRecord['approval'], decidedBy: string): ToolCallRecord => ({
  id, conversationId: 'c1', turnId: 't1', modelCallId: `model-${id}`, toolName: 'fs.write', arguments: { path: 'a.txt' },
  decision: { effect: 'ask', ruleId: 'default.mutating', reason: 'asks' }, approval, decidedBy, status: 'denied', error: null, startedAt: 1_000, endedAt: 9_000,
});

describe("a call's wait for its approval, as its card reads it back", () => {
  it('is the time it was given when no one answered, however late its timer fired; as long as it waited when someone did', () => {
    const db = openDatabase(join(tempDir(), 'p.db'));
    new ConversationStore(db).create({ id: 'c1', title: 'Chat', createdAt: 1, updatedAt: 1 });
    const messages = new MessageStore(db);
    const toolCalls = new ToolCallStore(db);
    const approvals = new ApprovalStore(db);
    // Given 1 s; the machine was busy (or asleep), and the timer fired 6 s later: the setting said 1 s.
    toolCalls.insert(asked('lapsed', 'timed_out', TIMEOUT));
    approvals.insert({ id: 'a-lapsed', toolCallId: 'lapsed', conversationId: 'c1', requestedAt: 1_000, expiresAt: 2_000 });
    approvals.decide('a-lapsed', 'timed_out', 8_000, null, TIMEOUT);
    toolCalls.insert(asked('denied', 'denied', personDecided('deny')));
    approvals.insert({ id: 'a-denied', toolCallId: 'denied', conversationId: 'c1', requestedAt: 1_000, expiresAt: 121_000 });
    approvals.decide('a-denied', 'denied', 4_500, null, personDecided('deny'));
    for (const id of ['lapsed', 'denied']) messages.append({ id: `m-${id}`, conversationId: 'c1', turnId: 't1', role: 'tool', content: '', toolCallId: id, traceId: null, createdAt: 9_000 });

    const [lapsed, denied] = messages.list('c1').map((message) => message.toolCall!);
    expect([lapsed!.approvalWaitMs, describeDecision(lapsed!)]).toEqual([1_000, 'timed out after 1 s']);
    expect([denied!.approvalWaitMs, describeDecision(denied!)]).toEqual([3_500, 'denied by you']);
    db.close();
  });
});
