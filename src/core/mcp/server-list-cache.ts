/**
 * One running server's list of prompts or resources, kept between the times the composer's `/` list opens. A
 * server that announces changes (`listChanged`) is asked again only after it does; any other is answered from what
 * it said last while it is asked again behind, so the next `/` shows its change. At most one request is out at a
 * time: a server that does not answer is not asked again on every `/`, and says how long it has been asked.
 */
export class ServerListCache<T> {
  private items: T[] | null = null;
  private pending: Promise<T[]> | null = null;
  private sentAt: number | null = null;

  constructor(
    private readonly ask: () => Promise<T[]>,
    private readonly announcesChanges: boolean,
  ) {}

  /** The list: at once when one is kept, else the server's answer, waited for until `signal` aborts. */
  get(signal: AbortSignal): Promise<T[]> {
    if (this.items && this.announcesChanges) return Promise.resolve(this.items);
    const answer = this.refresh();
    if (this.items) return Promise.resolve(this.items);
    return untilAborted(answer, signal);
  }

  /** The server said its list changed: neither the kept list nor an answer already on its way is shown. */
  changed(): void {
    [this.items, this.pending, this.sentAt] = [null, null, null];
  }

  /** When the request still unanswered was sent (epoch ms), or null when none is out. */
  get askedAt(): number | null {
    return this.sentAt;
  }

  private refresh(): Promise<T[]> {
    if (this.pending) return this.pending;
    this.sentAt = Date.now();
    const pending = this.ask().then((items) => {
      if (this.pending === pending) this.items = items;
      return items;
    });
    this.pending = pending;
    // Settled either way, the next `get` may ask again; a failure reaches whoever waits for this request.
    const settle = () => {
      if (this.pending === pending) [this.pending, this.sentAt] = [null, null];
    };
    pending.then(settle, settle);
    return pending;
  }
}

/** `promise`, or `signal`'s reason once it aborts first (the promise itself runs on, for the next caller). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
