import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/message';
import type { SpanRecord } from '../../src/shared/domain/span';
import { stoppedByPortcullis, unfinishedTurnWords } from '../../src/renderer/features/chat/unfinished-turn-words';

const root = (extra: Partial<SpanRecord>): SpanRecord => ({
  traceId: 't', spanId: 'r', parentSpanId: null, name: 'invoke_agent portcullis', kind: 'turn', startTime: 0, endTime: 1, status: 'error',
  statusMessage: null, attributes: {}, ...extra,
});
const user: Message = { id: 'm', conversationId: 'c', turnId: 'u', role: 'user', content: 'hi', traceId: 't', createdAt: 0 };

describe('the notice under a turn that ended without an answer, after a reload or a restart', () => {
  it('says Portcullis stopped when the trace or the call left says so', () => {
    // Killed: the next start gave the trace a root that says so.
    expect(stoppedByPortcullis(user, [root({ statusMessage: 'Portcullis stopped before this turn ended', attributes: { 'portcullis.turn.interrupted': true } })])).toBe(true);
    // Closed while the model answered.
    const closing = [{ name: 'exception', time: 1, attributes: { 'exception.type': 'TOOL_INTERRUPTED', 'exception.message': 'Portcullis was closing' } }];
    expect(stoppedByPortcullis(user, [root({ statusMessage: 'Portcullis was closing, so this turn stopped.', events: closing })])).toBe(true);
    // A call waiting for approval, ended at the next start: known before the trace is read.
    const call: Message = { ...user, role: 'tool', content: '', toolCall: {
      id: 'x', conversationId: 'c', turnId: 'u', toolName: 'fs.write', arguments: {}, decision: null, approval: null, status: 'failed',
      error: { code: 'TOOL_INTERRUPTED', message: 'Portcullis stopped' }, startedAt: 0, endedAt: 1 } };
    expect(stoppedByPortcullis(call, [])).toBe(true);
  });

  it('leaves any other cause to the trace: a model error, a trace not yet read', () => {
    const unavailable = [{ name: 'exception', time: 1, attributes: { 'exception.type': 'MODEL_UNAVAILABLE', 'exception.message': '503' } }];
    expect(stoppedByPortcullis(user, [root({ statusMessage: 'The model server answered 503', events: unavailable })])).toBe(false);
    expect(stoppedByPortcullis(user, [])).toBe(false);
    expect(unfinishedTurnWords({ cutShort: false, interrupted: false })).toBe('The last turn ended before the model answered; its trace says why.');
    expect(unfinishedTurnWords({ cutShort: true, interrupted: true })).toBe('The last reply was cut short: Portcullis stopped before the model finished.');
  });
});
