import type { Redactor } from './redactor';

/**
 * Text held back at least. Only credentials with whitespace inside ("Bearer <token>", "password = <value>", a
 * private-key header) could be cut between their parts; each is recognizable within ~40 characters.
 */
const MIN_HOLD_CHARS = 64;

const WHITESPACE = /\s/;

/** After a try finds no safe cut, the next waits until the held text has grown by half (see `push`). */
const RETRY_GROWTH = 1.5;

/**
 * Redacts text that arrives in pieces (a model's streamed reply) so that a secret split across two pieces is
 * still masked. Each piece is held until the text after it is long enough to hold any secret or credential
 * (the longest registered secret, and at least 64 characters), then released up to a whitespace boundary that
 * no masked range crosses: a secret or token is never sent partly. A private-key block still open is held until
 * it ends. `end()` releases the rest, redacted.
 */
export class StreamRedactor {
  private pending = '';
  private nextTryAt = 0;

  constructor(private readonly redactor: Redactor) {}

  /** Adds a piece; returns the redacted text that is now safe to send ('' while everything must wait). */
  push(piece: string): string {
    this.pending += piece;
    const hold = Math.max(MIN_HOLD_CHARS, this.redactor.longestSecretLength + 1);
    if (this.pending.length <= hold || this.pending.length < this.nextTryAt) return '';
    const cut = this.safeCut(this.pending.length - hold);
    if (cut <= 0) {
      // Nothing can go yet (a long run without whitespace, such as base64, or an open private-key block). Each
      // try scans all the held text, so tries are spaced geometrically: linear work overall, not quadratic.
      this.nextTryAt = Math.ceil(this.pending.length * RETRY_GROWTH);
      return '';
    }
    this.nextTryAt = 0;
    const released = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return this.redactor.redactText(released);
  }

  /** The stream ended: the rest, redacted. */
  end(): string {
    const rest = this.pending;
    this.pending = '';
    this.nextTryAt = 0;
    return this.redactor.redactText(rest);
  }

  /** The latest position at or before `limit` just after a whitespace character that no masked range crosses. */
  private safeCut(limit: number): number {
    const ranges = this.redactor.maskedRanges(this.pending);
    for (let cut = limit; cut > 0; cut--) {
      if (!WHITESPACE.test(this.pending[cut - 1]!)) continue;
      if (ranges.every(([start, end]) => end <= cut || start >= cut)) return cut;
    }
    return 0;
  }
}
