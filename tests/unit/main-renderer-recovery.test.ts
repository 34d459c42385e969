import { describe, expect, it, vi } from 'vitest';
import { createRendererRecovery } from '../../src/main/renderer-recovery';

function setup() {
  let now = 1_000_000;
  const reload = vi.fn();
  const giveUp = vi.fn();
  const gone = createRendererRecovery({ now: () => now, reload, giveUp, maxReloads: 3, windowMs: 60_000 });
  return { gone, reload, giveUp, advance: (ms: number) => (now += ms) };
}

describe('createRendererRecovery', () => {
  it.each(['crashed', 'oom', 'killed', 'abnormal-exit', 'launch-failed'])('reloads the page after %s, where the window stayed blank', (reason) => {
    const { gone, reload, giveUp } = setup();
    gone(reason);
    expect(reload).toHaveBeenCalledOnce();
    expect(giveUp).not.toHaveBeenCalled();
  });

  it('does nothing on a clean exit (the window closing)', () => {
    const { gone, reload, giveUp } = setup();
    gone('clean-exit');
    expect(reload).not.toHaveBeenCalled();
    expect(giveUp).not.toHaveBeenCalled();
  });

  it('stops reloading a page that keeps crashing, and says so once', () => {
    const { gone, reload, giveUp, advance } = setup();
    for (let i = 0; i < 3; i++) {
      gone('crashed');
      advance(5_000);
    }
    expect(reload).toHaveBeenCalledTimes(3);
    gone('crashed');
    gone('crashed');
    expect(reload).toHaveBeenCalledTimes(3);
    expect(giveUp).toHaveBeenCalledOnce();
  });

  it('counts only the crashes of the last minute', () => {
    const { gone, reload, giveUp, advance } = setup();
    for (let i = 0; i < 6; i++) {
      gone('crashed');
      advance(30_000);
    }
    expect(reload).toHaveBeenCalledTimes(6);
    expect(giveUp).not.toHaveBeenCalled();
  });
});
