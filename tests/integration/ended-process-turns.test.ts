import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock';
import { endTurnOfEndedProcess, releaseEndedHolders } from '../../src/core/runtime/ended-process-turns';
import { ApprovalStore } from '../../src/core/storage/stores/approval-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { SpanStore } from '../../src/core/storage/stores/span-store';
import { ToolCallStore, type EndedTurn } from '../../src/core/storage/stores/tool-call-store';
import { openTracesConnection } from '../../src/core/storage/traces/open-traces-database';
import { claimsFolder } from '../helpers/turn-claims';

describe("the owner's look for turns whose process ended", () => {
  it('ends and releases only the claims whose process is gone; a live one and its own stay', () => {
    const folder = claimsFolder(['mine', 'live', 'killed']);
    const { claims } = folder;
    const owner = folder.liveProcess();
    const other = folder.liveProcess(); // another process as the owner sees it: its lock file is held
    folder.claimFor('mine', owner, 't-mine');
    folder.claimFor('live', other, 't-live');
    folder.claimOfKilledProcess('killed', 't-killed');

    const ended: EndedTurn[] = [];
    releaseEndedHolders(claims, owner, (turn) => ended.push(turn));
    expect(ended).toEqual([{ conversationId: 'killed', turnId: 't-killed' }]);
    expect(claims.all().map((claim) => claim.conversationId).sort()).toEqual(['live', 'mine']);

    // Once that process ends too, its turn is ended at the next look; nothing is ended twice.
    other.release();
    releaseEndedHolders(claims, owner, (turn) => ended.push(turn));
    expect(ended).toEqual([{ conversationId: 'killed', turnId: 't-killed' }, { conversationId: 'live', turnId: 't-live' }]);
    expect(claims.all().map((claim) => claim.conversationId)).toEqual(['mine']);
    folder.db.close();
  });
});

describe('a turn whose process ended before any message named its trace (a retry whose model had not answered)', () => {
  it('has its trace ended with a root that says so, found through its claim', () => {
    const now = Date.now();
    const { dataDir, db, claims, ...folder } = claimsFolder(['retried'], now);
    const owner = folder.liveProcess();
    claims.claim('retried', { pid: 2_147_483_000, instance: '2147483000-deadbeef0000', turnId: 'retry-turn', traceId: 'retry-trace' }, now, () => true);
    const traces = openTracesConnection(join(dataDir, 'traces.db'));
    const spans = new SpanStore(traces);
    // Its route, finished, under the turn's root, which is stored only when the turn ends.
    spans.insert([{ traceId: 'retry-trace', spanId: 'route', parentSpanId: 'root', name: 'route', kind: 'route', startTime: now, endTime: now + 1, status: 'ok', statusMessage: null, attributes: {} }]);
    const stores = { toolCalls: new ToolCallStore(db), approvals: new ApprovalStore(db), messages: new MessageStore(db), spans, clock: systemClock };

    releaseEndedHolders(claims, owner, (turn) => endTurnOfEndedProcess(stores, turn));

    expect(spans.byTrace('retry-trace').filter((span) => span.parentSpanId === null)).toMatchObject([
      { status: 'error', attributes: { 'portcullis.turn.interrupted': true, 'gen_ai.conversation.id': 'retried' } },
    ]);
    expect(claims.all()).toEqual([]);
    traces.close();
    db.close();
  });
});
