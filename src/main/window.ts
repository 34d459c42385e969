import { join } from 'node:path';
import { BrowserWindow } from 'electron';
import type { ResolvedRenderer } from './renderer-location';
import { createWebPreferences, isNavigationAllowed, withContentSecurityPolicy } from './security-policy';

/**
 * The one app window, locked down: no new windows, no navigation away from our renderer, no permission
 * prompts (camera, notifications, …), no <webview>, and our CSP on every response.
 */
export function createMainWindow(renderer: ResolvedRenderer): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Portcullis',
    show: false,
    webPreferences: createWebPreferences(join(__dirname, '../preload/index.js')),
  });
  const { webContents } = window;
  const { session } = webContents;

  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }),
  );

  webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  webContents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(webContents.getURL(), url, renderer)) event.preventDefault();
  });
  webContents.on('will-attach-webview', (event) => event.preventDefault());

  window.once('ready-to-show', () => window.show());
  if (renderer.devUrl) void window.loadURL(renderer.devUrl);
  else void window.loadFile(renderer.filePath);
  return window;
}
