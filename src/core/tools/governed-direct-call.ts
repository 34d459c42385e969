import type { DirectCallInput, DirectCallOutcome } from '../../shared/domain/direct-call';
import { AppError } from '../../shared/errors';
import { hashArguments } from '../approvals/argument-hash';
import type { Redactor } from '../redaction/redactor';
import { directCallOutcome } from './direct-call-outcome';
import type { DirectCaller, DirectCallResult } from './direct-tool-call';

export interface GovernedDirectCallDeps {
  /** `callToolDirectly` on the runtime's gateway: the one path every call takes. */
  call(name: string, args: unknown, signal: AbortSignal | undefined, caller: DirectCaller): Promise<DirectCallResult>;
  /** Masks secrets in what goes back to the caller, as in everything stored and every event. */
  redactor: Redactor;
  /** Told when it ended (the conversation list and traces of an open page look again). */
  onEnded?(result: DirectCallResult): void;
}

export interface GovernedDirectCallOptions {
  caller: DirectCaller;
  /** The caller gave up (an MCP client's notifications/cancelled): the call is cancelled as Stop cancels one. */
  signal?: AbortSignal;
}

/**
 * One call asked for by a script (`tools.call`) or an MCP client, through the whole governed path, with the
 * caller's time limit (its approval's wait included) and its outcome as data, secrets masked.
 */
export async function governedDirectCall(deps: GovernedDirectCallDeps, input: DirectCallInput, options: GovernedDirectCallOptions): Promise<DirectCallOutcome> {
  const signals: AbortSignal[] = options.signal ? [options.signal] : [];
  let timer: NodeJS.Timeout | undefined;
  if (input.timeoutMs !== undefined) {
    const limit = new AbortController();
    const ms = input.timeoutMs;
    timer = setTimeout(() => limit.abort(new AppError('TOOL_TIMEOUT', `${input.name} took longer than the ${ms} ms its caller allowed (timeoutMs), so it was cancelled.`)), ms);
    signals.push(limit.signal);
  }
  const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
  try {
    const asked = input.arguments ?? {};
    const result = await deps.call(input.name, asked, signal, options.caller);
    deps.onEnded?.(result);
    const outcome = directCallOutcome(result);
    // The person's edit in the approval (validated and checked again by the gateway) is what ran: said so.
    const edited = result.record.approval === 'approved' && hashArguments(result.record.arguments) !== hashArguments(asked);
    return deps.redactor.redactValue(edited ? { ...outcome, editedArguments: result.record.arguments } : outcome);
  } finally {
    clearTimeout(timer);
  }
}
