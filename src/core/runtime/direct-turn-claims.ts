import type { Clock } from '../clock';
import type { EndedTurn } from '../storage/stores/tool-call-store';
import type { TurnClaimStore } from '../storage/stores/turn-claim-store';
import { releaseEndedHolder } from './ended-process-turns';
import type { RuntimeInstance } from './runtime-instance';

/**
 * A direct call's turn (`portcullis tools call`, a script's, an MCP client's) claimed for as long as it runs, as a
 * chat's turn is: the app started beside the process then leaves the call running (`runsElsewhere`) where it marked
 * it interrupted under it, and a killed process's call is still ended. The call never waits or fails for the claim:
 * a conversation a turn already holds (the person's, another call of the caller's) is left to it. Returns the
 * release, for the call's end.
 */
export function directTurnClaims(deps: {
  store: TurnClaimStore;
  instance: RuntimeInstance;
  clock: Clock;
  isPrivate: (conversationId: string) => boolean;
  endTurn: (turn: EndedTurn) => void;
}): (turn: EndedTurn) => () => void {
  const { store, instance } = deps;
  return ({ conversationId, turnId }) => {
    if (deps.isPrivate(conversationId)) return () => {};
    releaseEndedHolder(store, instance, conversationId, deps.endTurn);
    const claimant = { pid: instance.pid, instance: instance.id, turnId };
    if (!store.claimIfFree(conversationId, claimant, deps.clock.now())) return () => {};
    return () => store.release(conversationId, claimant);
  };
}
