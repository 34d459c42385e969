import {
  BrokenCircuitError,
  BulkheadRejectedError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type BulkheadPolicy,
  type CircuitBreakerPolicy,
  type CircuitState,
  type IPolicy,
} from 'cockatiel';
import { counted } from '../../shared/counted';
import { limitInWords } from '../../shared/durations';
import { AppError } from '../../shared/errors';
import { CallTimers } from './call-timers';

export interface ResilienceOptions {
  /** Who the calls go to, for messages ("the memory server"). */
  target: string;
  maxConcurrent: number;
  maxQueued: number;
  maxRetries: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
  /** Decides which failures say the target itself is unwell (count for the breaker, may be retried). */
  isTransportFailure(error: unknown): boolean;
  /** Of those, the ones worth repeating (e.g. the connection dropped); a timeout is not, it would only double the wait. */
  isRetryable(error: unknown): boolean;
}

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/**
 * Thrown inside a call its caller stopped (the person pressed stop, a /mcp client went away, the time its caller
 * allowed passed): never retried and never counted against the target.
 */
export abstract class CallStoppedByCallerError extends AppError {}

/** The person pressed stop, or its caller cancelled it; `why`: the caller's own words, when it gave them (a /mcp client that went away, a key revoked). */
export class CallCancelledError extends CallStoppedByCallerError {
  constructor(what: string, why?: string) {
    super('TOOL_CANCELLED', `${what} was cancelled; the server was told to stop.${why ? ` ${why}` : ''}`);
  }
}

/** The time its caller allowed it (`tools.call`'s timeoutMs; `limit`, in words) passed before it was answered. */
export class CallTimedOutForCallerError extends CallStoppedByCallerError {
  constructor(what: string, limit: string) {
    super('TOOL_TIMEOUT', `${what} timed out after ${limit}, the time its caller allowed (timeoutMs); the server was told to stop.`);
  }
}

/** The hard wall of one call passed (queueing and retries included). */
class DeadlineError extends Error {}

/**
 * One target's (one MCP server's) resilience: a bulkhead capping concurrent calls, a circuit breaker that opens
 * after consecutive calls failed for the target's sake, bounded retries with backoff for calls that are safe to
 * repeat, and a hard deadline per call. The breaker and bulkhead are shared by all calls to the target; one
 * target's trouble never holds up another's calls. The breaker counts calls, not attempts: one crash that a call
 * retried twice is one failure in a row, as the person counts them.
 */
export class CallResilience {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bulkhead: BulkheadPolicy;
  /** The policies for calls that may be repeated (with retries) and for calls that may not. */
  private readonly repeatable: IPolicy;
  private readonly once: IPolicy;
  private openedAt = 0;

  constructor(private readonly options: ResilienceOptions) {
    this.breaker = circuitBreaker(handleWhen(options.isTransportFailure), {
      halfOpenAfter: options.breakerCooldownMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold),
    });
    this.breaker.onBreak(() => (this.openedAt = Date.now()));
    this.bulkhead = bulkhead(options.maxConcurrent, options.maxQueued);
    const retries = retry(handleWhen(options.isRetryable), {
      maxAttempts: options.maxRetries,
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }),
    });
    this.repeatable = wrap(this.breaker, retries, this.bulkhead);
    this.once = wrap(this.breaker, this.bulkhead);
  }

  get breakerState(): BreakerState {
    return (['closed', 'open', 'half-open', 'isolated'] as const)[this.breaker.state as CircuitState] ?? 'closed';
  }

  /** While the breaker is open: when the next call is let through to try the target again (epoch ms). */
  get breakerRetryAt(): number | null {
    return this.breakerState === 'open' ? this.openedAt + this.options.breakerCooldownMs : null;
  }

  /** Why a call would be refused right now without reaching the target (the breaker is open), so no one is asked to approve it first. */
  refusal(): AppError | undefined {
    const retryAt = this.breakerRetryAt;
    return retryAt !== null && Date.now() < retryAt ? this.circuitOpen() : undefined;
  }

  /**
   * Runs `fn` under the target's policies. `deadlineMs` bounds the whole call including queueing and retries;
   * `fn` gets a signal that aborts at the deadline, and which attempt this is (0 first, then each retry). Only `repeatable` calls (read-only or idempotent) are retried.
   * The deadline is one of the call's `timers`, so it stops counting while the call waits for the person.
   */
  async execute<T>(
    fn: (signal: AbortSignal, attempt: number) => Promise<T>,
    options: { deadlineMs: number; repeatable: boolean; what: string; timers?: CallTimers },
  ): Promise<T> {
    const policy = options.repeatable ? this.repeatable : this.once;
    // The hard wall is one timer on the signal the call needs anyway, and a race for code that ignores the
    // signal. cockatiel's timeout policy did the same with a derived controller, two event emitters and a
    // wrapper promise per call: ~18 µs, a tenth of a local MCP round trip (docs/storage.md).
    const wall = new AbortController();
    const timers = options.timers ?? new CallTimers();
    let expire: (error: DeadlineError) => void = () => {};
    const expired = new Promise<never>((_, reject) => (expire = reject));
    const timer = timers.start(options.deadlineMs, () => {
      const error = new DeadlineError();
      wall.abort(error);
      expire(error);
    });
    try {
      return await Promise.race([policy.execute((context) => fn(context.signal, (context as { attempt?: number }).attempt ?? 0), wall.signal), expired]);
    } catch (error) {
      throw this.explain(error, options);
    } finally {
      timer.clear();
    }
  }

  private explain(error: unknown, options: { deadlineMs: number; what: string }): unknown {
    if (error instanceof BrokenCircuitError) return this.circuitOpen();
    if (error instanceof BulkheadRejectedError) {
      return new AppError(
        'TOOL_BUSY',
        `${this.options.target} already has ${counted(this.options.maxConcurrent, 'call')} running and ${this.options.maxQueued} waiting; ${options.what} was refused. Try again shortly.`,
      );
    }
    if (error instanceof DeadlineError || error instanceof TaskCancelledError) {
      return new AppError('TOOL_TIMEOUT', `${options.what} did not finish within its total limit of ${limitInWords(options.deadlineMs)} and was stopped.`);
    }
    return error;
  }

  private circuitOpen(): AppError {
    const wait = Math.max(0, Math.ceil((this.openedAt + this.options.breakerCooldownMs - Date.now()) / 1_000));
    return new AppError(
      'TOOL_CIRCUIT_OPEN',
      `Calls to ${this.options.target} are paused after ${counted(this.options.breakerThreshold, 'failed call')} in a row; the next one is tried in about ${wait} s. The Tools & servers page shows the server's state and can restart it.`,
    );
  }
}
