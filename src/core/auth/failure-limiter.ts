/**
 * Counts failed authentications per client within a sliding window. Once a client reaches the limit it is
 * answered 429 until the window has passed, whatever it presents: guessing stops, and the log stays readable.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly options: { maxFailures: number; windowMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the client may try again, or 0 when it is not limited. */
  retryAfterMs(client: string): number {
    const recent = this.recent(client);
    if (recent.length < this.options.maxFailures) return 0;
    return Math.max(1, recent[recent.length - this.options.maxFailures]! + this.options.windowMs - this.now());
  }

  recordFailure(client: string): void {
    const recent = this.recent(client);
    recent.push(this.now());
    this.failures.set(client, recent);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(client: string): number[] {
    const cutoff = this.now() - this.options.windowMs;
    return (this.failures.get(client) ?? []).filter((at) => at > cutoff);
  }
}
