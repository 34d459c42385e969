import { afterEach, describe, expect, it, vi } from 'vitest';
import { CoalescedRuns } from '../../src/core/mcp/coalesced-runs';

/** A task whose runs each wait until `finish` is called, counting them. */
function heldTask() {
  const state = { runs: 0, finish: () => undefined as void };
  const task = () =>
    new Promise<void>((resolve) => {
      state.runs++;
      state.finish = resolve;
    });
  return { state, task };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => void vi.useRealTimers());

describe('CoalescedRuns (a server that announces tools/list_changed thousands of times)', () => {
  it('runs once for the first request and once more for all those made while it ran, where each started a run of its own', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const { state, task } = heldTask();
    const runs = new CoalescedRuns(task, 1_000);
    for (let i = 0; i < 5_000; i++) runs.request();
    expect(state.runs).toBe(1);
    state.finish();
    await turn();
    expect(state.runs).toBe(1); // resting before the next
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state.runs).toBe(2);
    state.finish();
    await turn();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(state.runs).toBe(2); // nothing asked meanwhile: no more runs
  });

  it('runs again at once when asked after a run ended', async () => {
    const { state, task } = heldTask();
    const runs = new CoalescedRuns(task, 1_000);
    runs.request();
    state.finish();
    await turn();
    runs.request();
    expect(state.runs).toBe(2);
  });
});
