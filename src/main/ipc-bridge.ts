import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/api/bridge';
import { dispatchAuthorized } from '../core/auth/authorized-dispatch';
import { fullAccessPrincipal } from '../core/auth/scopes';
import type { Disposable } from '../core/lifecycle/disposable';
import type { Runtime } from '../core/runtime/create-runtime';
import { createInvokeHandler } from './invoke-handler';
import type { RendererLocation, SenderInfo } from './security-policy';

/**
 * Connects the window's preload to the runtime: every invoke is checked for its sender frame, then parsed and
 * run by the contract dispatcher; every runtime event goes to the window. Disposing undoes both.
 */
export function registerIpcBridge(
  runtime: Pick<Runtime, 'handlers' | 'onDidEmit'>,
  getWindow: () => BrowserWindow | null,
  renderer: RendererLocation,
): Disposable {
  const liveWindow = (): BrowserWindow | null => {
    const window = getWindow();
    return window && !window.isDestroyed() && !window.webContents.isDestroyed() ? window : null;
  };
  const handle = createInvokeHandler({
    expectedSender: () => {
      const window = liveWindow();
      return window ? { webContentsId: window.webContents.id, renderer } : null;
    },
    // The window is the person at the keyboard: every scope, but through the same checked dispatcher.
    dispatch: (channel, input) => dispatchAuthorized(runtime.handlers, fullAccessPrincipal('desktop'), channel, input),
    onRejected: (sender) => console.warn('portcullis: refused an IPC call from an untrusted frame', sender),
  });
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, channel: unknown, input: unknown) => handle(describeSender(event), channel, input));

  const events = runtime.onDidEmit((event) => liveWindow()?.webContents.send(IPC_EVENT_CHANNEL, event));
  return {
    dispose: () => {
      ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
      void events.dispose();
    },
  };
}

/** The sender frame is null once it has navigated away or been destroyed; such a call is refused. */
function describeSender(event: IpcMainInvokeEvent): SenderInfo | null {
  const frame = event.senderFrame;
  if (!frame) return null;
  return { frameUrl: frame.url, isMainFrame: frame.parent === null, webContentsId: event.sender.id };
}
