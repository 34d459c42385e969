import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../src/shared/domain/span';
import { failureCause } from '../../src/shared/span-failure';
import { spanAt, traceStore } from '../helpers/trace-store';

/** A turn whose one call was refused, as the gateway records it: the tool step fails with the refusal's code. */
function deniedTurn(traceId: string, start: number, refusal: string): SpanRecord[] {
  return [spanAt(traceId, 'turn', null, 'turn', start), spanAt(traceId, 'tool', 'turn', 'tool', start, refusal), spanAt(traceId, 'policy', 'tool', 'policy', start)];
}

describe('the traces list and a call that was denied', () => {
  it('counts a refusal as denied, not as an error: by a rule, by the person, for want of an answer', () => {
    const { db, store } = traceStore();
    store.insert(deniedTurn('by-rule', 1000, 'POLICY_DENIED: Denied by policy rule deny.outside-workspace: outside'));
    store.insert(deniedTurn('by-person', 2000, 'APPROVAL_REJECTED: The person denied fs.write.'));
    store.insert(deniedTurn('no-answer', 3000, 'APPROVAL_TIMEOUT: No one approved fs.write in time, so it was denied.'));
    // A refused call beside one that failed: the failure is still an error.
    store.insert([...deniedTurn('denied-and-failed', 4000, 'APPROVAL_REJECTED: The person denied fs.write.'), spanAt('denied-and-failed', 'read', 'turn', 'tool', 4000, 'TOOL_FAILED: notes.md does not exist')]);
    // A policy refusal inside a tool's own run (http.fetch's domain list): its sandbox step says so too; one call, one deny.
    store.insert([
      spanAt('fetch', 'turn', null, 'turn', 5000),
      spanAt('fetch', 'tool', 'turn', 'tool', 5000, 'POLICY_DENIED: http.fetch refused: example.org is not on the allowlist'),
      spanAt('fetch', 'sandbox', 'tool', 'sandbox', 5000, 'POLICY_DENIED: http.fetch refused: example.org is not on the allowlist'),
    ]);

    const summaries = Object.fromEntries(store.listTraces().map((t) => [t.traceId, { status: t.status, errorCount: t.errorCount, deniedCount: t.deniedCount }]));
    expect(summaries).toEqual({
      'by-rule': { status: 'ok', errorCount: 0, deniedCount: 1 },
      'by-person': { status: 'ok', errorCount: 0, deniedCount: 1 },
      'no-answer': { status: 'ok', errorCount: 0, deniedCount: 1 },
      'denied-and-failed': { status: 'ok', errorCount: 1, deniedCount: 1 },
      fetch: { status: 'ok', errorCount: 0, deniedCount: 1 },
    });
    // "With a failed step" leaves the refusals out.
    expect(store.listTraces({ errorsOnly: true }).map((t) => t.traceId)).toEqual(['denied-and-failed']);
    db.close();
  });

  it('tells a refusal from a fault by the code the step recorded', () => {
    expect(failureCause('POLICY_DENIED: Denied by policy rule x', undefined)).toBe('denied');
    expect(failureCause('APPROVAL_REJECTED: The person denied fs.write.', undefined)).toBe('denied');
    expect(failureCause('TOOL_ARGUMENTS_INVALID: The arguments of fs.read are not JSON', undefined)).toBe('other');
  });
});
