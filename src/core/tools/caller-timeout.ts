import { limitInWords } from '../../shared/durations';
import { AppError } from '../../shared/errors';

/**
 * The time a call's caller allowed it (`tools.call`'s `timeoutMs`) passed: the call is cancelled, and what it ran on
 * says it timed out and after how long, not only that it was cancelled.
 */
export class CallerTimeoutError extends AppError {
  constructor(
    tool: string,
    /** The caller's limit, in ms. */
    readonly limitMs: number,
  ) {
    super('TOOL_TIMEOUT', `${tool} took longer than the ${limitInWords(limitMs)} its caller allowed (timeoutMs), so it was cancelled.`);
  }

  /** The limit in words: "1.5 s". */
  get limitWords(): string {
    return limitInWords(this.limitMs);
  }
}
