import { ApiClient } from './client';
import { findIpcBridge, IpcTransport } from './ipc-transport';
import { apiSocketUrl, takeTokenFromLocation, WsTransport } from './ws-transport';

/** Electron IPC when the preload exposed `window.portcullis`, else the headless host's WebSocket. */
export function createApiClient(): ApiClient {
  const ipc = findIpcBridge();
  if (ipc) return new ApiClient(new IpcTransport(ipc));
  const ws = new WsTransport(apiSocketUrl(takeTokenFromLocation()));
  return new ApiClient(ws, ws);
}
