import { join } from 'node:path';
import { app, BrowserWindow, shell } from 'electron';
import { hardenWebContents } from './harden-web-contents';
import type { ResolvedRenderer } from './renderer-location';
import { createWebPreferences } from './security-policy';

/**
 * The one app window, locked down (see harden-web-contents.ts): no new windows, no navigation away from our
 * renderer, no permission prompts, no <webview>, our CSP on every response, links out only via https/mailto.
 */
export function createMainWindow(renderer: ResolvedRenderer): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Portcullis',
    show: false,
    webPreferences: createWebPreferences(join(__dirname, '../preload/index.js'), { isPackaged: app.isPackaged }),
  });
  hardenWebContents(window.webContents, renderer, (url) => shell.openExternal(url));
  window.once('ready-to-show', () => window.show());
  if (renderer.devUrl) void window.loadURL(renderer.devUrl);
  else void window.loadFile(renderer.filePath);
  return window;
}
