import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../src/shared/domain/span';
import { buildTimeline, shownSpanStatus, spanStatusTone } from '../../src/renderer/features/traces/span-tree';

const exception = (type: string) => [{ name: 'exception', time: 1, attributes: { 'exception.type': type, 'exception.message': '' } }];

function span(spanId: string, parentSpanId: string | null, kind: SpanRecord['kind'], failed?: { message: string; events?: SpanRecord['events'] }): SpanRecord {
  return {
    traceId: 't', spanId, parentSpanId, kind, name: `${kind} ${spanId}`, startTime: parentSpanId ? 1010 : 1000, endTime: 2000,
    status: failed ? 'error' : 'ok', statusMessage: failed?.message ?? null, attributes: {}, ...(failed?.events ? { events: failed.events } : {}),
  };
}

const stoppedOf = (spans: SpanRecord[]) => Object.fromEntries(buildTimeline(spans).rows.map((row) => [row.span.spanId, row.stopped]));

describe('the trace timeline and a turn the person stopped', () => {
  it('marks the steps the stop cut short as stopped, as the traces list reads them, and a real error as none', () => {
    const cancelled = 'chaos.hang was cancelled; the server was told to stop.';
    expect(
      stoppedOf([
        span('turn', null, 'turn', { message: 'Stopped. Nothing more will run in this turn.', events: exception('TURN_STOPPED') }),
        span('tool', 'turn', 'tool', { message: `TOOL_CANCELLED: ${cancelled}` }),
        // As an older version wrote it, with no code: stopped because the step inside it was.
        span('sandbox', 'tool', 'sandbox', { message: cancelled }),
        span('mcp', 'sandbox', 'mcp', { message: cancelled, events: exception('TOOL_CANCELLED') }),
        span('read', 'turn', 'tool', { message: 'FS_NOT_FOUND: notes.md does not exist' }),
        span('read-sandbox', 'read', 'sandbox', { message: 'FS_NOT_FOUND: notes.md does not exist' }),
        span('model', 'turn', 'model'),
      ]),
    ).toEqual({ turn: true, tool: true, sandbox: true, mcp: true, read: false, 'read-sandbox': false, model: false });
  });

  it('a step that failed on its own, with no code and nothing stopped inside it, is an error', () => {
    expect(stoppedOf([span('turn', null, 'turn', { message: 'The turn ended: its time budget', events: exception('BUDGET_EXCEEDED') }), span('sandbox', 'turn', 'sandbox', { message: 'The sandbox could not start' })])).toEqual({
      turn: false,
      sandbox: false,
    });
  });
});

describe('the trace timeline and a call that was denied', () => {
  it('marks the refused step denied (a decision), neither an error nor stopped, and a real error still as one', () => {
    const rows = buildTimeline([
      span('turn', null, 'turn'),
      span('write', 'turn', 'tool', { message: 'APPROVAL_REJECTED: The person denied fs.write.' }),
      span('policy', 'write', 'policy'),
      span('outside', 'turn', 'tool', { message: 'POLICY_DENIED: Denied by policy rule deny.outside-workspace: outside' }),
      span('read', 'turn', 'tool', { message: 'TOOL_FAILED: notes.md does not exist' }),
    ]).rows;
    expect(Object.fromEntries(rows.map((row) => [row.span.spanId, row.denied]))).toEqual({ turn: false, write: true, policy: false, outside: true, read: false });
    expect(rows.some((row) => row.denied && row.stopped)).toBe(false);
  });
});

describe('a step\'s status in the span details, as the traces list says it', () => {
  const statuses = (spans: SpanRecord[]) => Object.fromEntries(buildTimeline(spans).rows.map((row) => [row.span.spanId, [shownSpanStatus(row), spanStatusTone(shownSpanStatus(row))]]));

  it('a refused step reads "denied" and a stopped one "stopped", neither in an error\'s colour; a real error stays one', () => {
    expect(
      statuses([
        span('turn', null, 'turn'),
        span('denied', 'turn', 'tool', { message: 'POLICY_DENIED: Denied by policy rule deny.secrets: r' }),
        span('rejected', 'turn', 'tool', { message: 'APPROVAL_REJECTED: The person denied fs.write.' }),
        span('stopped', 'turn', 'tool', { message: 'TOOL_CANCELLED: cancelled' }),
        span('broken', 'turn', 'tool', { message: 'FS_NOT_FOUND: notes.md does not exist' }),
        { ...span('live', 'turn', 'model'), inProgress: true },
      ]),
    ).toEqual({
      turn: ['ok', 'ok'],
      denied: ['denied', 'denied'],
      rejected: ['denied', 'denied'],
      stopped: ['stopped', 'cancelled'],
      broken: ['error', 'error'],
      live: ['running', 'running'],
    });
  });
});
