/**
 * One call's time limits (its hard wall, which is its total limit, and its idle timeout), which stop counting
 * while the call waits for the person: an MCP server that asks a question mid-call (elicitation) is not slow
 * while the person types. Held, a timer keeps the time it had left; released, it goes on from there.
 */
export class CallTimers {
  private readonly timers = new Set<HoldableTimer>();
  private holds = 0;

  /** Starts a timer of this call; `fire` runs once, `ms` of unheld time from now. */
  start(ms: number, fire: () => void): HoldableTimer {
    const timer = new HoldableTimer(ms, () => {
      this.timers.delete(timer);
      fire();
    });
    this.timers.add(timer);
    if (this.holds > 0) timer.hold();
    return timer;
  }

  /** Stops every timer of the call until the returned function is called (once). */
  hold(): () => void {
    this.holds++;
    for (const timer of this.timers) timer.hold();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) for (const timer of this.timers) timer.release();
    };
  }

  /** The call ended: no timer of it fires any more. */
  clear(): void {
    for (const timer of this.timers) timer.clear();
    this.timers.clear();
  }
}

export class HoldableTimer {
  private handle: ReturnType<typeof setTimeout> | undefined;
  private dueAt = 0;
  private left: number;
  private held = false;
  /** Fired or cleared: it never runs again. */
  private done = false;

  constructor(
    private readonly ms: number,
    private readonly fire: () => void,
  ) {
    this.left = ms;
    this.arm();
  }

  /** The whole time again, from now: the call showed it is alive (a progress report). */
  reset(): void {
    this.left = this.ms;
    if (!this.held) this.arm();
  }

  hold(): void {
    if (this.held || this.done) return;
    this.held = true;
    clearTimeout(this.handle);
    this.left = Math.max(0, this.dueAt - Date.now());
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    this.arm();
  }

  clear(): void {
    this.done = true;
    clearTimeout(this.handle);
  }

  private arm(): void {
    if (this.done) return;
    clearTimeout(this.handle);
    this.dueAt = Date.now() + this.left;
    this.handle = setTimeout(() => {
      this.done = true;
      this.fire();
    }, this.left);
  }
}
