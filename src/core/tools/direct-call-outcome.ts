import type { DirectCallOutcome } from '../../shared/domain/direct-call';
import type { DirectCallResult } from './direct-tool-call';

/** Whether a result was cut down by the gateway (`sanitizeToolOutput`): it then ends with a notice saying so. */
function wasTruncated(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { truncated?: unknown }).truncated === true;
}

/**
 * A direct call's record as a script reads it: ok, denied (with why) or error (with its code), the result, and
 * where it is recorded. The record is the one the gateway wrote; nothing here decides anything.
 */
export function directCallOutcome({ record, traceId, conversationId }: DirectCallResult): DirectCallOutcome {
  const outcome = record.status === 'succeeded' ? 'ok' : record.status === 'denied' ? 'denied' : 'error';
  return {
    outcome,
    tool: record.toolName,
    status: record.status,
    decision: record.decision,
    approval: record.approval,
    // A script that asked told apart from the person: "approved" alone read as the person's answer.
    ...(record.decidedBy === undefined ? {} : { decidedBy: record.decidedBy }),
    ...(record.result === undefined ? {} : { result: record.result }),
    ...(record.untrusted ? { untrusted: true } : {}),
    ...(wasTruncated(record.result) ? { truncated: true } : {}),
    ...(outcome === 'denied' && record.error ? { reason: record.error.message } : {}),
    error: record.error,
    traceId,
    conversationId,
    toolCallId: record.id,
  };
}
