/** Recent call times per tool, for rate rules. Keeps at most a day of history and 10,000 entries per tool. */
export class RateCounter {
  private readonly calls = new Map<string, number[]>();

  record(toolName: string, at: number): void {
    let times = this.calls.get(toolName);
    if (!times) this.calls.set(toolName, (times = []));
    times.push(at);
    if (times.length > 10_000 || at - times[0]! > 86_400_000) {
      const keep = times.filter((t) => at - t <= 86_400_000).slice(-10_000);
      this.calls.set(toolName, keep);
    }
  }

  count(toolName: string, windowMs: number, now: number): number {
    const times = this.calls.get(toolName);
    if (!times) return 0;
    let n = 0;
    for (let i = times.length - 1; i >= 0 && now - times[i]! < windowMs; i--) n++;
    return n;
  }
}
