import type { Clock } from '../clock';
import { type Disposable, toDisposable } from '../lifecycle/disposable';
import type { Logger } from '../logging/logger';
import { closeInterruptedCalls } from '../orchestrator/interrupted-calls';
import { keepInterruptedReplies } from '../orchestrator/interrupted-replies';
import type { ApprovalStore } from '../storage/stores/approval-store';
import type { MessageStore } from '../storage/stores/message-store';
import type { ReplyDraftStore } from '../storage/stores/reply-draft-store';
import type { SpanStore } from '../storage/stores/span-store';
import type { EndedTurn, ToolCallStore } from '../storage/stores/tool-call-store';
import type { TurnClaimHolder, TurnClaimStore } from '../storage/stores/turn-claim-store';
import type { RuntimeInstance } from './runtime-instance';

/** How often the data folder's owner looks for turns whose process ended (its claims are a handful of rows). */
const ENDED_TURNS_EVERY_MS = 30_000;

export interface EndedTurnStores {
  toolCalls: ToolCallStore;
  approvals: ApprovalStore;
  messages: MessageStore;
  /** Replies streaming when their process ended; without it, none is kept. */
  drafts?: ReplyDraftStore;
  /** Whether another process still runs the turn (its claim's holder is alive): its calls, approvals and draft are not the previous run's. */
  runsElsewhere?: (turn: EndedTurn) => boolean;
  /** The turns other processes still run (their claims' holders are alive): their traces have no root yet, rightly. */
  turnsElsewhere?: () => EndedTurn[];
  spans: SpanStore;
  clock: Clock;
  logger?: Logger;
}

/**
 * Ends what a turn left open when its process ended (a `portcullis chat` or `tools call` killed beside the app):
 * its calls as interrupted and answered, their open approvals as unanswered, the reply it was streaming as far as it
 * came (cut short, as Stop keeps it), its trace with a root that says so.
 * Only the folder's owner ends a whole previous run, at its start; without this, such a turn showed "Calling …"
 * until the app was next restarted.
 */
export function endTurnOfEndedProcess(stores: EndedTurnStores, turn: EndedTurn): void {
  const at = stores.clock.now();
  const closed = stores.toolCalls.atomically(() => {
    const calls = closeInterruptedCalls(stores.toolCalls, stores.messages, at, turn);
    for (const call of calls) stores.approvals.expireOpenOfCall(call.id, at);
    return calls;
  });
  const replies = stores.drafts ? keepInterruptedReplies(stores.drafts, stores.messages, turn) : 0;
  const traces = stores.spans.closeInterruptedTraces(() => turn.conversationId, tracesOfTurn(stores.messages, turn));
  if (closed.length + traces + replies > 0) {
    stores.logger?.info({ event: 'turn.process_ended', calls: closed.length, traces, replies }, `a turn whose process ended left ${closed.length} calls open; ended them`);
  }
}

/**
 * The conversation's claim, if its holder (another process) has ended: the turn it held is ended
 * (`endTurnOfEndedProcess`) and the claim given up. Idempotent, so two processes finding it at once do no harm.
 */
export function releaseEndedHolder(
  claims: TurnClaimStore,
  instance: RuntimeInstance,
  conversationId: string,
  endTurn: (turn: EndedTurn) => void,
  holder: TurnClaimHolder | null = claims.holder(conversationId),
): void {
  if (!holder || holder.instance === instance.id || instance.isAlive(holder.instance, holder.pid)) return;
  endTurn({ conversationId, turnId: holder.turnId, ...(holder.traceId ? { traceId: holder.traceId } : {}) });
  claims.release(conversationId, holder);
}

/** Every claim whose process has ended, as `releaseEndedHolder` (the owner's periodic look). */
export function releaseEndedHolders(claims: TurnClaimStore, instance: RuntimeInstance, endTurn: (turn: EndedTurn) => void): void {
  for (const { conversationId, ...holder } of claims.all()) releaseEndedHolder(claims, instance, conversationId, endTurn, holder);
}

/** The owner's periodic look for turns whose process ended (`releaseEndedHolders`), until disposed. */
export function sweepEndedTurns(claims: TurnClaimStore, instance: RuntimeInstance, endTurn: (turn: EndedTurn) => void): Disposable {
  const sweep = setInterval(() => releaseEndedHolders(claims, instance, endTurn), ENDED_TURNS_EVERY_MS);
  sweep.unref();
  return toDisposable(() => clearInterval(sweep));
}

/**
 * At the owner's start: what the previous run left open when it ended (its approvals, its calls as interrupted and
 * answered, the replies it was streaming as far as they came, its traces), ended, with a line in the log saying how many.
 */
export function endPreviousRun(stores: EndedTurnStores): void {
  const { approvals, toolCalls, messages, drafts, runsElsewhere, turnsElsewhere, spans, clock, logger } = stores;
  const interrupted = closeInterruptedCalls(toolCalls, messages, clock.now(), undefined, runsElsewhere).length;
  // After the calls: a call another process still runs keeps its approval open.
  approvals.expireOpen(clock.now());
  const replies = drafts ? keepInterruptedReplies(drafts, messages, undefined, runsElsewhere) : 0;
  if (replies > 0) logger?.info({ event: 'replies.interrupted', count: replies }, `${replies} replies the previous run was streaming kept as far as they came`);
  const underWay = (turnsElsewhere?.() ?? []).flatMap((turn) => tracesOfTurn(messages, turn));
  const cutShort = spans.closeInterruptedTraces((traceId, from, to) => messages.conversationOfTrace(traceId, from, to), undefined, underWay);
  if (cutShort > 0) logger?.info({ event: 'traces.interrupted', count: cutShort }, `${cutShort} traces of the previous run ended with it`);
  if (interrupted > 0) logger?.info({ event: 'tool_calls.interrupted', count: interrupted }, `${interrupted} tool calls of the previous run ended with it`);
}

/** The turn's traces: those its messages name, and the one its claim names (a retry's, before any message names it). */
function tracesOfTurn(messages: MessageStore, turn: EndedTurn): string[] {
  const named = messages.tracesOfTurn(turn.conversationId, turn.turnId);
  return turn.traceId && !named.includes(turn.traceId) ? [...named, turn.traceId] : named;
}
