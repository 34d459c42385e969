import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallTimers } from '../../src/core/tools/call-timers';

describe('a call’s timers', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('stop counting while held and go on with the time they had left', () => {
    const timers = new CallTimers();
    const fired: string[] = [];
    timers.start(1_000, () => fired.push('idle'));
    vi.advanceTimersByTime(600);
    const release = timers.hold();
    vi.advanceTimersByTime(10_000); // the person takes their time
    expect(fired).toEqual([]);
    release();
    release(); // a second release changes nothing
    vi.advanceTimersByTime(399);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['idle']);
  });

  it('stay held until every hold is released, also a timer started while held', () => {
    const timers = new CallTimers();
    const fired: string[] = [];
    const first = timers.hold();
    const second = timers.hold();
    timers.start(100, () => fired.push('late'));
    first();
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual([]);
    second();
    vi.advanceTimersByTime(100);
    expect(fired).toEqual(['late']);
  });

  it('reset gives the whole time again, and a cleared timer never fires, even when reset after', () => {
    const timers = new CallTimers();
    const fired: string[] = [];
    const idle = timers.start(500, () => fired.push('idle'));
    vi.advanceTimersByTime(400);
    idle.reset(); // a progress report
    vi.advanceTimersByTime(400);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(fired).toEqual(['idle']);

    const other = timers.start(500, () => fired.push('other'));
    timers.clear();
    other.reset(); // progress arriving after the call ended
    vi.advanceTimersByTime(5_000);
    expect(fired).toEqual(['idle']);
  });
});
