/** How a waiting request ends without an answer: its time runs out, or whoever asked withdraws it (its signal). */
export interface WaitEnds<A> {
  timeoutMs: number;
  timedOut: A;
  signal?: AbortSignal | undefined;
  withdrawn: A;
}

/**
 * Requests held until someone answers them through the API (approvals, servers' questions), each settled once: by
 * its answer, by its time running out, or by its signal (the turn stopped, the server withdrew it), whichever comes
 * first. `onSettled` announces how one ended before its asker learns it.
 */
export class WaitingRequests<R extends { id: string }, A> {
  private readonly waiting = new Map<string, { request: R; settle(answer: A): void }>();

  constructor(private readonly onSettled: (request: R, answer: A) => void) {}

  /** Holds `request` until it is settled; `announce` runs once it is held, so that asking what waits finds it. */
  wait(request: R, { timeoutMs, timedOut, signal, withdrawn }: WaitEnds<A>, announce: () => void): Promise<A> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(timedOut), timeoutMs);
      const onAbort = (): void => settle(withdrawn);
      const settle = (answer: A): void => {
        if (!this.waiting.delete(request.id)) return;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.onSettled(request, answer);
        resolve(answer);
      };
      this.waiting.set(request.id, { request, settle });
      signal?.addEventListener('abort', onAbort, { once: true });
      announce();
    });
  }

  /** The request waiting under `id`; undefined once it is settled. */
  get(id: string): R | undefined {
    return this.waiting.get(id)?.request;
  }

  /** Settles the request waiting under `id` with its answer; nothing when it no longer waits. */
  settle(id: string, answer: A): void {
    this.waiting.get(id)?.settle(answer);
  }

  /** The requests waiting, oldest first. */
  all(): R[] {
    return [...this.waiting.values()].map((waiting) => waiting.request);
  }

  /** Settles every request still waiting with `answer` (Portcullis stopping). */
  settleAll(answer: A): void {
    for (const waiting of [...this.waiting.values()]) waiting.settle(answer);
  }
}
