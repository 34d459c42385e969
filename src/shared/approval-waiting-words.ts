import type { ApprovalRequest } from './domain/approval';

type Asked = Pick<ApprovalRequest, 'requestedBy' | 'sentBy' | 'retriedBy'>;

/**
 * Who waits for the person's answer to a call: Portcullis (its model asked), or the script or MCP client that asked
 * for it ("Cursor (MCP) is waiting for your approval"), which is what stands still until the person answers.
 */
export function waitingForApprovalWords(request: Asked): string {
  return `${waiter(request) ?? 'Portcullis'} is waiting for your approval`;
}

/**
 * Who stands still until the answer, when not Portcullis: the direct call's caller, or who started the turn: who
 * retried it (the person, when they did), else who sent its message.
 */
function waiter(request: Asked): string | undefined {
  if (request.requestedBy) return request.requestedBy;
  return request.retriedBy !== undefined ? (request.retriedBy ?? undefined) : request.sentBy;
}

/** The approval area's heading: who waits for one call; for several, how many, and who asked when one asked them all. */
export function approvalsHeading(pending: readonly Asked[]): string {
  const [first] = pending;
  if (pending.length === 1 && first) return waitingForApprovalWords(first);
  const askers = new Set(pending.map(waiter));
  const [only] = askers;
  return askers.size === 1 && only !== undefined ? `${pending.length} calls from ${only} are waiting for your approval` : `${pending.length} tool calls are waiting for your approval`;
}
