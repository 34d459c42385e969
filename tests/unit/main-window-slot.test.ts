import { describe, expect, it, vi } from 'vitest';
import { createWindowSlot, type SlotWindow } from '../../src/main/window-slot';

class FakeWindow implements SlotWindow {
  destroyed = false;
  minimized = false;
  private onClosed: (() => void) | undefined;
  readonly restore = vi.fn(() => void (this.minimized = false));
  readonly focus = vi.fn();
  isDestroyed = (): boolean => this.destroyed;
  isMinimized = (): boolean => this.minimized;
  once(_event: 'closed', listener: () => void): void {
    this.onClosed = listener;
  }
  close(): void {
    this.destroyed = true;
    this.onClosed?.();
  }
}

describe('createWindowSlot', () => {
  it('creates the window on first show and focuses it on later shows', () => {
    const windows: FakeWindow[] = [];
    const slot = createWindowSlot(() => {
      const window = new FakeWindow();
      windows.push(window);
      return window;
    });
    expect(slot.current()).toBeNull();

    slot.show();
    expect(windows).toHaveLength(1);
    expect(slot.current()).toBe(windows[0]);

    windows[0]!.minimized = true;
    slot.show();
    expect(windows).toHaveLength(1);
    expect(windows[0]!.restore).toHaveBeenCalledOnce();
    expect(windows[0]!.focus).toHaveBeenCalledOnce();
  });

  it('forgets a closed window and opens a new one on the next show', () => {
    const windows: FakeWindow[] = [];
    const slot = createWindowSlot(() => {
      const window = new FakeWindow();
      windows.push(window);
      return window;
    });
    slot.show();
    windows[0]!.close();
    expect(slot.current()).toBeNull();

    slot.show();
    expect(windows).toHaveLength(2);
    expect(slot.current()).toBe(windows[1]);
  });
});
