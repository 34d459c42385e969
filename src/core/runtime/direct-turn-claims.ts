import type { EndedTurn } from '../storage/stores/tool-call-store';
import type { TurnClaimDeps } from './cross-process-turn-claims';
import { releaseEndedHolder } from './ended-process-turns';

/**
 * A direct call's turn (`portcullis tools call`, a script's, an MCP client's) claimed for as long as it runs, as a
 * chat's turn is: the app started beside the process then leaves the call running (`runsElsewhere`) where it marked
 * it interrupted under it, and a killed process's call is still ended. The call never waits or fails for the claim:
 * a conversation a turn already holds (the person's, another call of the caller's) is left to it. Returns the
 * release, for the call's end.
 */
export function directTurnClaims(deps: TurnClaimDeps): (turn: EndedTurn) => () => void {
  const { store, instance } = deps;
  // This process's direct calls running in each conversation (an MCP client's, made at once, share one): the claim
  // goes from one that ends to another still running, which would otherwise run unclaimed.
  const running = new Map<string, Set<string>>();
  const claimFor = (conversationId: string, turnId: string): boolean =>
    store.claimIfFree(conversationId, { pid: instance.pid, instance: instance.id, turnId }, deps.clock.now());
  return ({ conversationId, turnId }) => {
    if (deps.isPrivate(conversationId)) return () => {};
    releaseEndedHolder(store, instance, conversationId, deps.endTurn);
    const turns = running.get(conversationId) ?? new Set<string>();
    running.set(conversationId, turns.add(turnId));
    claimFor(conversationId, turnId);
    return () => {
      turns.delete(turnId);
      if (turns.size === 0) running.delete(conversationId);
      const holder = store.holder(conversationId);
      if (holder?.instance !== instance.id || holder.turnId !== turnId) return;
      store.release(conversationId, holder);
      const next = turns.values().next();
      if (!next.done) claimFor(conversationId, next.value);
    };
  };
}
