import { ApiClient } from './client';
import { findIpcBridge, IpcTransport } from './ipc-transport';
import { apiSocketUrl, takeTokenFromLocation, WsTransport } from './ws-transport';

/**
 * Electron IPC when the preload exposed `window.portcullis`, else the headless host's WebSocket; null for a browser
 * tab that holds no access token (opened with the bare address): the host would refuse its socket for good.
 */
export function createApiClient(): ApiClient | null {
  const ipc = findIpcBridge();
  if (ipc) return new ApiClient(new IpcTransport(ipc));
  const token = takeTokenFromLocation();
  if (token === null) return null;
  const ws = new WsTransport(apiSocketUrl(token));
  return new ApiClient(ws, ws);
}
