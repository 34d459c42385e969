import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, shell } from 'electron';
import { contextMenuEntries } from './context-menu';
import { hardenWebContents } from './harden-web-contents';
import { createRendererRecovery, DEFAULT_MAX_RELOADS, DEFAULT_RELOAD_WINDOW_MS } from './renderer-recovery';
import type { ResolvedRenderer } from './renderer-location';
import { createWebPreferences } from './security-policy';

/**
 * The one app window, locked down (see harden-web-contents.ts): no new windows, no navigation away from our
 * renderer, no permission prompts, no <webview>, our CSP on every response, links out only as external-links.ts allows.
 * A page whose renderer process crashed is loaded again (renderer-recovery.ts); a right-click offers the edit
 * and spelling entries (context-menu.ts).
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
  const load = (): void => {
    void window.loadURL(renderer.devUrl ?? renderer.appUrl);
  };
  const recover = createRendererRecovery({
    now: Date.now,
    reload: () => {
      if (!window.isDestroyed()) load();
    },
    giveUp: () => {
      if (window.isDestroyed()) return;
      void dialog.showMessageBox(window, {
        type: 'error',
        message: "Portcullis's window keeps crashing",
        detail:
          `Its page stopped ${DEFAULT_MAX_RELOADS} times within ${DEFAULT_RELOAD_WINDOW_MS / 1000} s, so it is not loaded again. Quit Portcullis and start it again; ` +
          'your conversations are saved.',
      });
    },
  });
  window.webContents.on('render-process-gone', (_event, details) => recover(details.reason));
  window.webContents.on('context-menu', (_event, params) => {
    const entries = contextMenuEntries(params, {
      replaceMisspelling: (word) => window.webContents.replaceMisspelling(word),
      addToDictionary: (word) => void window.webContents.session.addWordToSpellCheckerDictionary(word),
    });
    if (entries.length > 0) Menu.buildFromTemplate(entries).popup({ window });
  });
  window.once('ready-to-show', () => window.show());
  load();
  return window;
}
