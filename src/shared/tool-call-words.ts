import type { ToolCallRecord, ToolCallStatus } from './domain/tool-call';

/** A call that ended only because Portcullis stopped while it waited or ran: how long it took is not known. */
export function wasInterrupted(call: ToolCallRecord): boolean {
  return call.error?.code === 'TOOL_INTERRUPTED';
}

/** Who let the call run (or not), in the words the card shows. */
export function describeDecision(call: ToolCallRecord): string {
  if (call.approval === 'approved') return 'approved by you';
  if (call.approval === 'denied') return 'denied by you';
  if (call.approval === 'timed_out') return wasInterrupted(call) ? 'not answered: Portcullis stopped' : 'denied: no answer in time';
  const decision = call.decision;
  if (!decision) return call.status === 'denied' ? 'denied' : 'not checked by policy';
  if (decision.effect === 'allow') return `allowed by rule ${decision.ruleId}`;
  if (decision.effect === 'deny') return `denied by rule ${decision.ruleId}`;
  return call.status === 'denied' ? 'denied' : 'waiting for your approval';
}

const STATUS_LABELS: Record<ToolCallStatus, string> = {
  pending: 'pending',
  awaiting_approval: 'awaiting approval',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  denied: 'denied',
};

export function describeStatus(status: ToolCallStatus): string {
  return STATUS_LABELS[status];
}
