import type { DirectCallInput, DirectCallOutcome } from '../../shared/domain/direct-call';
import { AppError } from '../../shared/errors';
import { hashArguments } from '../approvals/argument-hash';
import type { Redactor } from '../redaction/redactor';
import { CallerTimeoutError } from './caller-timeout';
import { directCallOutcome } from './direct-call-outcome';
import type { DirectCaller, DirectCallResult } from './direct-tool-call';
import type { RefusedCall } from './refused-call-record';

export interface GovernedDirectCallDeps {
  /** `callToolDirectly` on the runtime's gateway: the one path every call takes. */
  call(name: string, args: unknown, signal: AbortSignal | undefined, caller: DirectCaller): Promise<DirectCallResult>;
  /**
   * The outcome for a name no tool has (none built in or offered, none its server accounts for: held back, turned
   * off, down); null for any other. Such a call is answered without being made: no conversation or trace, only `refused`.
   */
  unknownTool?(name: string): DirectCallOutcome | null;
  /**
   * A credential's call of a name no tool has, for the audit chain (`recordRefusedCall`): nothing else records it,
   * and a key probing for tool names is worth knowing of.
   */
  refused?(refused: RefusedCall): void;
  /** Masks secrets in what goes back to the caller, as in everything stored and every event. */
  redactor: Redactor;
  /**
   * Told when its turn has begun (its request is stored), with what stops it: the chat shows it running as it shows
   * a turn of its own (the sidebar's dot, Stop), while it waits for the person and runs.
   */
  onStarted?(turn: DirectCallTurn, stop: AbortController): void;
  /**
   * Told when a begun turn ended, having failed too (`error`): the chat no longer shows it running, and an open
   * page's conversation list and traces look again.
   */
  onEnded?(turn: DirectCallTurn, error: AppError | null): void;
}

/** The turn a direct call is recorded as, in its conversation and trace. */
export interface DirectCallTurn {
  conversationId: string;
  turnId: string;
  traceId: string;
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
  const unknown = deps.unknownTool?.(input.name);
  if (unknown) {
    recordUnknownName(deps, input.name, options.caller);
    return deps.redactor.redactValue(unknown);
  }
  // Stop in the chat, as for a turn of the person's.
  const stop = new AbortController();
  const signals: AbortSignal[] = [stop.signal, ...(options.signal ? [options.signal] : [])];
  let timer: NodeJS.Timeout | undefined;
  if (input.timeoutMs !== undefined) {
    const limit = new AbortController();
    const ms = input.timeoutMs;
    timer = setTimeout(() => limit.abort(new CallerTimeoutError(input.name, ms)), ms);
    signals.push(limit.signal);
  }
  const signal = signals.length === 1 ? signals[0] : AbortSignal.any(signals);
  let turn: DirectCallTurn | undefined;
  const caller: DirectCaller = {
    ...options.caller,
    ...(input.ifAsked === 'deny' ? { unattended: true } : {}),
    onTurnStarted: (started) => {
      turn = started;
      options.caller.onTurnStarted?.(started);
      deps.onStarted?.(started, stop);
    },
  };
  try {
    const asked = input.arguments ?? {};
    let result: DirectCallResult;
    try {
      result = await deps.call(input.name, asked, signal, caller);
    } catch (error) {
      if (turn) deps.onEnded?.(turn, error instanceof AppError ? error : new AppError('INTERNAL', `${input.name} could not be called: ${(error as Error)?.message ?? String(error)}`));
      throw error;
    }
    if (turn) deps.onEnded?.(turn, null);
    const outcome = directCallOutcome(result);
    // The person's edit in the approval (validated and checked again by the gateway) is what ran: said so.
    const edited = result.record.approval === 'approved' && hashArguments(result.record.arguments) !== hashArguments(asked);
    return deps.redactor.redactValue(edited ? { ...outcome, editedArguments: result.record.arguments } : outcome);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A name no tool has, asked for by a credential (a caller that `direct_call.made` would name): refused on the audit
 * chain with who asked and what (its arguments are not kept, as for any refused call).
 */
function recordUnknownName(deps: GovernedDirectCallDeps, name: string, caller: DirectCaller): void {
  const who = caller.attributes?.['portcullis.caller'];
  if (who === undefined || !deps.refused) return;
  const client = caller.attributes?.['portcullis.mcp_client.name'];
  deps.refused({
    tool: name,
    caller: String(who),
    channel: caller.attributes?.['portcullis.caller.channel'] === 'mcp' ? 'mcp' : 'tools.call',
    ...(client === undefined ? {} : { client: String(client) }),
    reason: `There is no tool named "${name}".`,
  });
}
