import { describe, expect, it } from 'vitest';
import { appMenuTemplate, type AppMenuEntry } from '../../src/main/app-menu';

const roles = (entries: AppMenuEntry[]): string[] =>
  entries.flatMap((e) => ('role' in e ? [e.role] : 'submenu' in e ? [e.label, ...roles(e.submenu)] : []));

describe("the desktop app's menu bar", () => {
  it.each(['linux', 'win32', 'darwin'] as const)('on %s keeps Edit (copy and paste shortcuts) and has no Help menu linking to Electron', (platform) => {
    const menu = roles(appMenuTemplate({ platform, isPackaged: true }));
    expect(menu).toContain('editMenu');
    expect(menu).not.toContain('Help');
    expect(menu).not.toContain('help');
    expect(menu.includes('appMenu')).toBe(platform === 'darwin');
  });

  it('offers DevTools only in an unpackaged run', () => {
    expect(roles(appMenuTemplate({ platform: 'linux', isPackaged: true }))).not.toContain('toggleDevTools');
    expect(roles(appMenuTemplate({ platform: 'linux', isPackaged: false }))).toContain('toggleDevTools');
  });
});
