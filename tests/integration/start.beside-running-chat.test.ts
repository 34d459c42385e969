import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolCallRecord } from '../../src/shared/domain/tool-call';
import { openDatabase } from '../../src/core/storage/database';
import { ApprovalStore } from '../../src/core/storage/stores/approval-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { SpanStore } from '../../src/core/storage/stores/span-store';
import { ToolCallStore } from '../../src/core/storage/stores/tool-call-store';
import { openTracesConnection } from '../../src/core/storage/traces/open-traces-database';
import { startTestRuntime } from '../helpers/test-runtime';
import { claimsFolder } from '../helpers/turn-claims';

const call = (id: string, conversationId: string, status: ToolCallRecord['status']): ToolCallRecord => ({
  id, conversationId, turnId: `${conversationId}-turn`, modelCallId: `model-${id}`, toolName: 'fs.write', arguments: { path: 'a.txt' },
  decision: { effect: 'ask', ruleId: 'default.mutating', reason: 'asks' }, approval: null, status, error: null, startedAt: 1, endedAt: null,
});

/**
 * The app started while a `portcullis chat` run without it is still in the middle of a turn on the same folder:
 * the start ends only what a process that is gone left open, not the chat's calls under way.
 */
describe('the app started beside a portcullis chat still running a turn', () => {
  it('leaves that turn\'s calls and approval as they are, and ends those of a killed process as interrupted', () => {
    const { dataDir, db, ...folder } = claimsFolder(['live', 'killed']);
    const toolCalls = new ToolCallStore(db);
    const approvals = new ApprovalStore(db);
    folder.claimFor('live', folder.liveProcess(), 'live-turn'); // the chat's process: its lock file is held
    folder.claimOfKilledProcess('killed', 'killed-turn');
    for (const id of ['live', 'killed']) {
      toolCalls.insert(call(`${id}-running`, id, 'running'));
      toolCalls.insert(call(`${id}-waiting`, id, 'awaiting_approval'));
      approvals.insert({ id: `${id}-approval`, toolCallId: `${id}-waiting`, conversationId: id, requestedAt: 1, expiresAt: 1_000_000 });
    }
    db.close();

    startTestRuntime({ dataDir });

    const after = openDatabase(join(dataDir, 'portcullis.db'));
    const stored = new ToolCallStore(after);
    expect(stored.get('live-running')).toMatchObject({ status: 'running', error: null });
    expect(stored.get('live-waiting')).toMatchObject({ status: 'awaiting_approval', approval: null });
    expect(stored.get('killed-running')).toMatchObject({ status: 'failed', error: { code: 'TOOL_INTERRUPTED' } });
    expect(stored.get('killed-waiting')).toMatchObject({ status: 'failed', approval: 'timed_out', error: { code: 'TOOL_INTERRUPTED' } });
    const outcomes = after.prepare('SELECT id, outcome FROM approvals ORDER BY id').all();
    expect(outcomes).toEqual([{ id: 'killed-approval', outcome: 'timed_out' }, { id: 'live-approval', outcome: null }]);
    after.close();
  });

  it('leaves that turn\'s trace without a root (its own comes when the turn ends), and ends a killed process\'s turn\'s trace', () => {
    const now = Date.now();
    const { dataDir, db, ...folder } = claimsFolder(['live', 'killed'], now);
    const messages = new MessageStore(db);
    folder.claimFor('live', folder.liveProcess(), 'live-turn');
    folder.claimOfKilledProcess('killed', 'killed-turn');
    const traces = openTracesConnection(join(dataDir, 'traces.db'));
    const spans = new SpanStore(traces);
    for (const id of ['live', 'killed']) {
      messages.append({ id: `${id}-asked`, conversationId: id, turnId: `${id}-turn`, role: 'user', content: 'write a.txt', traceId: `${id}-trace`, createdAt: now });
      // A finished model step under the turn's root, which is stored only when the turn ends.
      spans.insert([{
        traceId: `${id}-trace`, spanId: `${id}-step`, parentSpanId: `${id}-root`, name: 'chat model', kind: 'model',
        startTime: now, endTime: now + 10, status: 'ok', statusMessage: null, attributes: {},
      }]);
    }
    traces.close();
    db.close();

    startTestRuntime({ dataDir });

    const after = new SpanStore(openTracesConnection(join(dataDir, 'traces.db')));
    expect(after.byTrace('live-trace').filter((span) => span.parentSpanId === null)).toEqual([]);
    expect(after.byTrace('killed-trace').filter((span) => span.parentSpanId === null)).toMatchObject([
      { status: 'error', attributes: { 'portcullis.turn.interrupted': true, 'gen_ai.conversation.id': 'killed' } },
    ]);
  });
});
