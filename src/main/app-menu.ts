/** A menu entry in the shape Menu.buildFromTemplate takes (roles only: Electron gives each its label and shortcut). */
export type AppMenuEntry =
  | { type: 'separator' }
  | { role: 'appMenu' | 'fileMenu' | 'editMenu' | 'windowMenu' | 'reload' | 'toggleDevTools' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen' }
  | { label: string; submenu: AppMenuEntry[] };

/**
 * The app's menu bar, in place of Electron's default one, whose Help menu opens Electron's website and whose
 * View menu offers DevTools. Edit stays: on macOS it is what makes Cmd+C and Cmd+V work in the window.
 */
export function appMenuTemplate(options: { platform: NodeJS.Platform; isPackaged: boolean }): AppMenuEntry[] {
  const view: AppMenuEntry = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(options.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  return [...(options.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []), { role: 'fileMenu' }, { role: 'editMenu' }, view, { role: 'windowMenu' }];
}
