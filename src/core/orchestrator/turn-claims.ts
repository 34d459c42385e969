import { AppError } from '../../shared/errors';

/**
 * A conversation's turn claimed across every Portcullis process on the data folder, not only this one's: two
 * processes (a second `serve`, the app and a script) each knew only their own running turns and answered the same
 * conversation at once.
 */
export interface TurnClaims {
  /**
   * Claims the conversation for the turn, or throws `TURN_IN_PROGRESS` naming the process that runs one. `traceId`:
   * a model's turn's trace, which an app starting meanwhile leaves rootless (its root comes at the turn's end).
   */
  claim(conversationId: string, turnId: string, traceId?: string): void;
  /** At the turn's end. */
  release(conversationId: string, turnId: string): void;
  /** The pid of another process that runs a turn in the conversation now, or null. */
  elsewhere(conversationId: string): number | null;
  /** Every conversation another process runs a turn in now, with that process's pid (the sidebar marks them). */
  allElsewhere(): Array<{ conversationId: string; pid: number }>;
}

/** What a send, a Retry or a delete is refused with while another process runs a turn in the conversation. */
export function turnRunningElsewhere(pid: number): AppError {
  return new AppError('TURN_IN_PROGRESS', `This conversation is running a turn in another Portcullis (pid ${pid}); wait for it or stop it there.`, { data: { pid } });
}
