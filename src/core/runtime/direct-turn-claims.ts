import type { EndedTurn } from '../storage/stores/tool-call-store';
import type { TurnClaimDeps } from './cross-process-turn-claims';
import { releaseEndedHolder } from './ended-process-turns';

/** Claims a direct call's turn if its conversation is free; returns the release, for the call's end. */
export interface DirectTurnClaims {
  (turn: EndedTurn): () => void;
  /** A chat turn (or a delete's hold) of this process gave the conversation up: a call still running there takes it. */
  released(conversationId: string): void;
}

/**
 * A direct call's turn (`portcullis tools call`, a script's, an MCP client's) claimed for as long as it runs, as a
 * chat's turn is: the app started beside the process then leaves the call running (`runsElsewhere`) where it marked
 * it interrupted under it, and a killed process's call is still ended. The call never waits or fails for the claim:
 * a conversation a turn already holds (the person's, another call of the caller's) is left to it, and taken when
 * that turn ends if it was this process's (`released`).
 */
export function directTurnClaims(deps: TurnClaimDeps): DirectTurnClaims {
  const { store, instance } = deps;
  // This process's direct calls running in each conversation (an MCP client's, made at once, share one): the claim
  // goes from one that ends, or from this process's chat turn that ends, to one still running, which would
  // otherwise run unclaimed.
  const running = new Map<string, Set<string>>();
  const claimFor = (conversationId: string, turnId: string): boolean =>
    store.claimIfFree(conversationId, { pid: instance.pid, instance: instance.id, turnId }, deps.clock.now());
  const handOver = (conversationId: string): void => {
    const next = running.get(conversationId)?.values().next();
    if (next && !next.done) claimFor(conversationId, next.value);
  };
  const hold = ({ conversationId, turnId }: EndedTurn): (() => void) => {
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
      handOver(conversationId);
    };
  };
  return Object.assign(hold, { released: handOver });
}
