import type { PortcullisBridge } from '../../../shared/api/bridge';
import type { RequestChannel } from '../../../shared/api/channels';
import type { AppEvent } from '../../../shared/api/contract';
import type { InvokeResult } from '../../../shared/api/wire';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a plain browser. */
    portcullis?: PortcullisBridge;
  }
}

/** The bridge the Electron preload exposes, if this renderer runs inside Electron. */
export function findIpcBridge(): PortcullisBridge | undefined {
  return typeof window !== 'undefined' ? window.portcullis : undefined;
}

/** The Electron transport: a thin pass-through to `window.portcullis`. */
export class IpcTransport implements PortcullisBridge {
  private readonly bridge: PortcullisBridge;

  constructor(bridge: PortcullisBridge) {
    this.bridge = bridge;
  }

  invoke(channel: RequestChannel, input: unknown): Promise<InvokeResult> {
    return this.bridge.invoke(channel, input);
  }

  onEvent(listener: (event: AppEvent) => void): () => void {
    return this.bridge.onEvent(listener);
  }
}
