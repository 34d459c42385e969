/**
 * A conversation's turn claimed across every Portcullis process on the data folder, not only this one's: two
 * processes (a second `serve`, the app and a script) each knew only their own running turns and answered the same
 * conversation at once.
 */
export interface TurnClaims {
  /** Claims the conversation for the turn, or throws `TURN_IN_PROGRESS` naming the process that runs one. */
  claim(conversationId: string, turnId: string): void;
  /** At the turn's end. */
  release(conversationId: string, turnId: string): void;
}
