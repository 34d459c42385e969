import type { RequestChannel } from './channels';
import type { AppEvent } from './contract';
import type { InvokeResult } from './wire';

/**
 * What the Electron preload exposes as `window.portcullis`: a generic invoke and one event stream over
 * the contract, nothing else. The browser transport (WebSocket) offers the same shape.
 */
export interface PortcullisBridge {
  invoke(channel: RequestChannel, input: unknown): Promise<InvokeResult>;
  /** Subscribes to every contract event; returns the function that unsubscribes. */
  onEvent(listener: (event: AppEvent) => void): () => void;
}

/** The IPC channel names the preload and the main process share. */
export const IPC_INVOKE_CHANNEL = 'portcullis:invoke';
export const IPC_EVENT_CHANNEL = 'portcullis:event';
