import { AppError } from '../../shared/errors';

/**
 * The most a model's reply may hold, its words, thinking and calls' arguments together: some 2.5 million tokens, far
 * past any model's output limit (128k tokens is about half a million characters). A server that streams without end
 * (a proxy looping, a model that never stops on a server with no limit of its own) grew the reply in memory until
 * V8's string limit failed it as "Invalid string length", or the app ran out of memory first.
 */
export const MAX_REPLY_CHARS = 10_000_000;

/** Counts what one reply streams, and ends it past `MAX_REPLY_CHARS`. */
export class ReplySize {
  private chars = 0;

  constructor(
    private readonly modelId: string,
    private readonly limit: number = MAX_REPLY_CHARS,
  ) {}

  /** A stream part arrived: its piece of text (a `delta`) is counted; past the limit, the reply ends with why. */
  add(part: { delta?: unknown }): void {
    if (typeof part.delta !== 'string') return;
    this.chars += part.delta.length;
    if (this.chars > this.limit) {
      throw new AppError(
        'MODEL_OUTPUT_INVALID',
        `The model ${this.modelId} sent a reply of more than ${(this.limit / 1_000_000).toLocaleString('en')} million characters, more than any model writes in one answer, so Portcullis stopped reading it and ended the turn. Its server may be looping: check it, then Retry.`,
      );
    }
  }
}
