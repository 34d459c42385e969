/** What recovering the window's page needs: the time, how to reload it or say it keeps crashing, and how often it may. */
export interface RendererRecoveryOptions {
  now(): number;
  /** Loads the page again in the same window (a new renderer process). */
  reload(): void;
  /** Says the page keeps crashing, once, instead of reloading it for ever. */
  giveUp(): void;
  /** How often the page may crash within `windowMs` before Portcullis stops reloading it. */
  maxReloads?: number;
  windowMs?: number;
}

export const DEFAULT_MAX_RELOADS = 3;
export const DEFAULT_RELOAD_WINDOW_MS = 60_000;

/**
 * What to do when the window's renderer process is gone (Electron's 'render-process-gone'): a crash, an
 * out-of-memory kill or a process killed from outside leaves a blank window whose app still runs (MCP servers,
 * the local API, approvals waiting), so the page is loaded again; it keeps its state in the main process. A page
 * that crashes again and again is said once, not reloaded in a loop. A clean exit is the window closing.
 */
export function createRendererRecovery(options: RendererRecoveryOptions): (reason: string) => void {
  const maxReloads = options.maxReloads ?? DEFAULT_MAX_RELOADS;
  const windowMs = options.windowMs ?? DEFAULT_RELOAD_WINDOW_MS;
  let reloads: number[] = [];
  let gaveUp = false;
  return (reason) => {
    if (reason === 'clean-exit' || gaveUp) return;
    const now = options.now();
    reloads = reloads.filter((at) => now - at < windowMs);
    if (reloads.length >= maxReloads) {
      gaveUp = true;
      options.giveUp();
      return;
    }
    reloads.push(now);
    options.reload();
  };
}
