import type { Clock } from '../clock';
import { turnRunningElsewhere, type TurnClaims } from '../orchestrator/turn-claims';
import type { EndedTurn } from '../storage/stores/tool-call-store';
import type { TurnClaimStore } from '../storage/stores/turn-claim-store';
import { releaseEndedHolder } from './ended-process-turns';
import type { RuntimeInstance } from './runtime-instance';

/** What claims a turn across processes: the claims' table, this process, and what a claim whose process ended leaves. */
export interface TurnClaimDeps {
  store: TurnClaimStore;
  instance: RuntimeInstance;
  clock: Clock;
  isPrivate: (conversationId: string) => boolean;
  endTurn: (turn: EndedTurn) => void;
}

/**
 * Turn claims in `portcullis.db`, held by this process's `RuntimeInstance`: a claim whose process has ended (a
 * crash, kill -9) is taken over, so none blocks a conversation after its holder is gone, and what its turn left
 * open is ended (`endTurn`) as soon as a process looks. Private conversations live in this process's memory only,
 * and need none. `released`: told each conversation a turn gave up (this process's direct calls still running
 * there take it, `DirectTurnClaims`).
 */
export function crossProcessTurnClaims(deps: TurnClaimDeps, released?: (conversationId: string) => void): TurnClaims {
  const { store, instance, clock } = deps;
  return {
    claim(conversationId, turnId, traceId) {
      if (deps.isPrivate(conversationId)) return;
      releaseEndedHolder(store, instance, conversationId, deps.endTurn);
      const holder = store.claim(conversationId, { pid: instance.pid, instance: instance.id, turnId, ...(traceId ? { traceId } : {}) }, clock.now(), (other) => instance.isAlive(other.instance, other.pid));
      if (holder) throw turnRunningElsewhere(holder.pid);
    },
    release(conversationId, turnId) {
      if (deps.isPrivate(conversationId)) return;
      store.release(conversationId, { instance: instance.id, turnId });
      released?.(conversationId);
    },
    elsewhere(conversationId) {
      if (deps.isPrivate(conversationId)) return null;
      releaseEndedHolder(store, instance, conversationId, deps.endTurn);
      const holder = store.holder(conversationId);
      return holder && holder.instance !== instance.id && instance.isAlive(holder.instance, holder.pid) ? holder.pid : null;
    },
    allElsewhere() {
      const running: Array<{ conversationId: string; pid: number }> = [];
      for (const { conversationId, ...holder } of store.all()) {
        if (holder.instance === instance.id) continue;
        // As elsewhere(): a holder found ended has its turn ended now, so its conversation is not shown running.
        if (instance.isAlive(holder.instance, holder.pid)) running.push({ conversationId, pid: holder.pid });
        else releaseEndedHolder(store, instance, conversationId, deps.endTurn, holder);
      }
      return running;
    },
  };
}

/**
 * The turns other living processes hold claims on (a `portcullis chat` beside the app): what such a turn has open (its
 * calls, approvals, draft, rootless trace) is not a previous run's, and is left to it (`EndedTurnStores`).
 */
export function turnsRunningElsewhere(store: TurnClaimStore, instance: RuntimeInstance): { runsElsewhere: (turn: EndedTurn) => boolean; turnsElsewhere: () => EndedTurn[] } {
  const runsElsewhere = ({ conversationId, turnId }: EndedTurn): boolean => {
    const holder = store.holder(conversationId);
    return holder !== null && holder.turnId === turnId && holder.instance !== instance.id && instance.isAlive(holder.instance, holder.pid);
  };
  const turnsElsewhere = (): EndedTurn[] => store.all().map(({ conversationId, turnId, traceId }) => ({ conversationId, turnId, ...(traceId ? { traceId } : {}) })).filter(runsElsewhere);
  return { runsElsewhere, turnsElsewhere };
}
