/** The part of a BrowserWindow the slot uses; kept structural so the slot is tested without Electron. */
export interface SlotWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
  once(event: 'closed', listener: () => void): unknown;
}

export interface WindowSlot<W extends SlotWindow> {
  /** The open window, or null when there is none (before the first show, after it closed). */
  current(): W | null;
  /** Brings the window forward, creating it if there is none (second launch, dock click, startup). */
  show(): void;
}

/** The app has one window: showing it again focuses it instead of opening a second one. */
export function createWindowSlot<W extends SlotWindow>(create: () => W): WindowSlot<W> {
  let window: W | null = null;
  const current = (): W | null => (window && !window.isDestroyed() ? window : null);
  return {
    current,
    show: () => {
      const open = current();
      if (open) {
        if (open.isMinimized()) open.restore();
        open.focus();
        return;
      }
      const created = create();
      window = created;
      created.once('closed', () => {
        if (window === created) window = null;
      });
    },
  };
}
