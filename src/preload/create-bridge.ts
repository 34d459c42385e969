import { isEventChannel, isRequestChannel } from '../shared/api/channels';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type PortcullisBridge } from '../shared/api/bridge';
import type { AppEvent } from '../shared/api/contract';
import type { InvokeResult } from '../shared/api/wire';
import { messageOf } from '../shared/errors';

/** The slice of `ipcRenderer` the bridge uses; a parameter so the bridge is tested without Electron. */
export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * Builds `window.portcullis`: a generic invoke limited to the contract's channels and one event stream.
 * The page gets plain functions only, never `ipcRenderer` or an IPC event (whose `sender` would reach it).
 * Input is not parsed here (zod cannot load in the sandboxed preload); the main process parses everything.
 */
export function createBridge(ipc: BridgeIpc): PortcullisBridge {
  return {
    invoke: async (channel, input) => {
      if (!isRequestChannel(channel)) {
        return {
          ok: false,
          error: { code: 'UNKNOWN_CHANNEL', message: `"${String(channel).slice(0, 100)}" is not a Portcullis API channel.` },
        };
      }
      try {
        return (await ipc.invoke(IPC_INVOKE_CHANNEL, channel, input)) as InvokeResult;
      } catch (error) {
        // e.g. the main process has not registered its handler yet, or is shutting down.
        return {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: `The Portcullis app did not answer (${messageOf(error)}). Try again, or restart the app.`,
          },
        };
      }
    },
    onEvent: (listener) => {
      const forward = (_event: unknown, message: unknown): void => {
        const appEvent = toAppEvent(message);
        if (appEvent) listener(appEvent);
      };
      ipc.on(IPC_EVENT_CHANNEL, forward);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(IPC_EVENT_CHANNEL, forward);
      };
    },
  };
}

/** A fresh `{ channel, payload }` for a known event channel, or null: nothing else crosses into the page. */
function toAppEvent(message: unknown): AppEvent | null {
  if (typeof message !== 'object' || message === null) return null;
  const { channel, payload } = message as { channel?: unknown; payload?: unknown };
  if (!isEventChannel(channel)) return null;
  // The payload's shape was produced by the runtime from the contract; the main process is the trusted side.
  return { channel, payload } as AppEvent;
}
