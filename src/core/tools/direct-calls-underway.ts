import type { AppEvent } from '../../shared/api/contract';
import { AppError } from '../../shared/errors';
import type { Emitter } from '../lifecycle/emitter';
import type { DirectCallTurn } from './governed-direct-call';

interface Underway {
  turn: DirectCallTurn;
  stop: AbortController;
}

/** The person's Stop, as a turn's: its card then says "you stopped", not that its caller cancelled it. */
const STOPPED_HERE = 'Stopped in Portcullis. Nothing more will run in this call.';

/**
 * The direct calls (a script's tools.call, an MCP client's) this process runs now, by conversation. Their turns are
 * said to the pages as a turn of the person's is (`chat.turnStarted`, `chat.turnEnded`), so the chat shows who waits
 * and what runs: the sidebar's running dot, Stop (which cancels them). An MCP session's calls share a conversation
 * and may overlap: when one ends while another still runs there, that one is said to run again, since a page keeps
 * one running turn per conversation.
 */
export class DirectCallsUnderway {
  private readonly byConversation = new Map<string, Underway[]>();

  constructor(private readonly events: Pick<Emitter<AppEvent>, 'fire'>) {}

  started(turn: DirectCallTurn, stop: AbortController): void {
    const calls = this.byConversation.get(turn.conversationId) ?? [];
    calls.push({ turn, stop });
    this.byConversation.set(turn.conversationId, calls);
    this.events.fire({ channel: 'chat.turnStarted', payload: turn });
  }

  ended(turn: DirectCallTurn, error: AppError | null): void {
    const calls = (this.byConversation.get(turn.conversationId) ?? []).filter((call) => call.turn.turnId !== turn.turnId);
    if (calls.length > 0) this.byConversation.set(turn.conversationId, calls);
    else this.byConversation.delete(turn.conversationId);
    this.events.fire({ channel: 'chat.turnEnded', payload: { ...turn, error: error ? { code: error.code, message: error.message } : null } });
    const still = calls.at(-1);
    if (still) this.events.fire({ channel: 'chat.turnStarted', payload: still.turn });
  }

  /** The newest direct call's turn running in the conversation, or null. */
  running(conversationId: string): { turnId: string; traceId: string } | null {
    const newest = this.byConversation.get(conversationId)?.at(-1);
    return newest ? { turnId: newest.turn.turnId, traceId: newest.turn.traceId } : null;
  }

  /** The newest direct call's turn of each conversation where one runs. */
  all(): DirectCallTurn[] {
    return [...this.byConversation.values()].flatMap((calls) => calls.slice(-1).map((call) => call.turn));
  }

  /** Cancels every direct call running in the conversation (the chat's Stop), as a turn's Stop cancels its calls. */
  stop(conversationId: string): boolean {
    const calls = this.byConversation.get(conversationId) ?? [];
    for (const call of calls) call.stop.abort(new AppError('TURN_STOPPED', STOPPED_HERE));
    return calls.length > 0;
  }
}
