/**
 * Runs a task when asked, one run at a time: however often it is asked while a run is under way, one more run
 * follows that one, after a rest of `restMs`. A server's tools/list_changed re-lists its tools this way: each of a
 * storm of thousands started its own re-list, thousands of tools/list requests at once (each list up to 10 MB),
 * checked, pinned and registered one after another.
 */
export class CoalescedRuns {
  private running = false;
  private again = false;

  constructor(
    /** Must not throw: its failures are its own to report. */
    private readonly task: () => Promise<void>,
    private readonly restMs: number,
  ) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.runWhileAsked();
  }

  private async runWhileAsked(): Promise<void> {
    try {
      for (;;) {
        this.again = false;
        await this.task();
        if (!this.again) return;
        await new Promise((resolve) => setTimeout(resolve, this.restMs).unref());
      }
    } finally {
      this.running = false;
    }
  }
}
