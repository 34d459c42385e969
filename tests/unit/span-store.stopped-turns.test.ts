import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../src/shared/domain/span';
import type { SpanStore } from '../../src/core/storage/stores/span-store';
import { failureCause } from '../../src/shared/span-failure';
import { traceStore } from '../helpers/trace-store';

const exception = (type: string, message = '') => [{ name: 'exception', time: 1, attributes: { 'exception.type': type, 'exception.message': message } }];

function span(traceId: string, spanId: string, parentSpanId: string | null, kind: SpanRecord['kind'], failed?: { message: string; events?: SpanRecord['events'] }): SpanRecord {
  return {
    traceId, spanId, parentSpanId, kind, name: `${kind} ${spanId}`, startTime: parentSpanId ? 1010 : 1000, endTime: 2000,
    status: failed ? 'error' : 'ok', statusMessage: failed?.message ?? null, attributes: {}, ...(failed?.events ? { events: failed.events } : {}),
  };
}

/** A turn stopped (Stop, Esc) while an MCP call hung, as the runtime records it: four failed spans, none an error. */
function stoppedTurn(traceId: string, start = 1000): SpanRecord[] {
  const cancelled = 'chaos.hang was cancelled; the server was told to stop.';
  return [
    span(traceId, 'turn', null, 'turn', { message: 'Stopped. Nothing more will run in this turn.', events: exception('TURN_STOPPED') }),
    span(traceId, 'tool', 'turn', 'tool', { message: `TOOL_CANCELLED: ${cancelled}` }),
    span(traceId, 'sandbox', 'tool', 'sandbox', { message: cancelled }),
    span(traceId, 'mcp', 'sandbox', 'mcp', { message: cancelled, events: exception('TOOL_CANCELLED', cancelled) }),
  ].map((s) => ({ ...s, startTime: s.startTime - 1000 + start }));
}

describe('the traces list and a turn the person stopped', () => {
  it('reads a stopped turn as "stopped" with no errors, and counts only real errors beside a stop', () => {
    const { db, store } = traceStore();
    store.insert(stoppedTurn('stopped', 1000));
    // Stopped after a read had failed: that failure is still an error.
    store.insert([
      ...stoppedTurn('stopped-after-error', 2000),
      { ...span('stopped-after-error', 'read', 'turn', 'tool', { message: 'FS_NOT_FOUND: notes.md does not exist' }), startTime: 2005 },
    ]);
    // A sandbox that failed on its own (a message, no code, nothing stopped inside it) is an error, as is a turn that
    // ran out of its time budget.
    store.insert([
      { ...span('failed', 'turn', null, 'turn', { message: 'The turn ended: it ran for its whole time budget', events: exception('BUDGET_EXCEEDED') }), startTime: 3000 },
      { ...span('failed', 'sandbox', 'turn', 'sandbox', { message: 'The sandbox could not start' }), startTime: 3005 },
    ]);
    store.insert([{ ...span('fine', 'turn', null, 'turn'), startTime: 4000 }]);

    const summaries = Object.fromEntries(store.listTraces().map((t) => [t.traceId, { status: t.status, errorCount: t.errorCount, spanCount: t.spanCount }]));
    expect(summaries).toEqual({
      stopped: { status: 'stopped', errorCount: 0, spanCount: 4 },
      'stopped-after-error': { status: 'stopped', errorCount: 1, spanCount: 5 },
      failed: { status: 'error', errorCount: 2, spanCount: 2 },
      fine: { status: 'ok', errorCount: 0, spanCount: 1 },
    });
    const ids = (filter: Parameters<SpanStore['listTraces']>[0]) => store.listTraces(filter).map((t) => t.traceId).sort();
    expect(ids({ status: 'stopped' })).toEqual(['stopped', 'stopped-after-error']);
    expect(ids({ status: 'error' })).toEqual(['failed']);
    expect(ids({ errorsOnly: true })).toEqual(['failed', 'stopped-after-error']);
    db.close();
  });

  it('tells a stop from an error by the code the step recorded', () => {
    expect(failureCause('x', exception('TURN_STOPPED'))).toBe('stopped');
    expect(failureCause('TOOL_CANCELLED: x was cancelled', undefined)).toBe('stopped');
    expect(failureCause('TOOL_TIMEOUT: x did not finish', undefined)).toBe('other');
    expect(failureCause('boom', exception('TypeError'))).toBe('other');
    expect(failureCause('x was cancelled; the server was told to stop.', undefined)).toBeNull();
  });
});
