import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../src/core/config/data-paths';

const home = () => mkdtempSync(join(tmpdir(), 'pc-home-'));
const withDatabase = (folder: string) => {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'portcullis.db'), '');
};

describe('the default data folder, shared by the desktop app and the command line', () => {
  it('is the platform app-data folder: XDG on Linux, Application Support on macOS, APPDATA on Windows', () => {
    const h = home();
    expect(defaultDataDir({}, 'linux', h)).toBe(join(h, '.local', 'share', 'portcullis'));
    expect(defaultDataDir({ XDG_DATA_HOME: join(h, 'data') }, 'linux', h)).toBe(join(h, 'data', 'portcullis'));
    expect(defaultDataDir({}, 'darwin', h)).toBe(join(h, 'Library', 'Application Support', 'Portcullis'));
    expect(defaultDataDir({ APPDATA: join(h, 'Roaming') }, 'win32', h)).toBe(join(h, 'Roaming', 'Portcullis'));
  });

  it("on Linux, is still the folder where the desktop app kept a database under Electron's default (~/.config), unless the XDG one has one", () => {
    const h = home();
    withDatabase(join(h, '.config', 'Portcullis'));
    expect(defaultDataDir({}, 'linux', h)).toBe(join(h, '.config', 'Portcullis'));
    withDatabase(join(h, '.local', 'share', 'portcullis'));
    expect(defaultDataDir({}, 'linux', h)).toBe(join(h, '.local', 'share', 'portcullis'));

    const fromSource = home();
    withDatabase(join(fromSource, 'cfg', 'portcullis'));
    expect(defaultDataDir({ XDG_CONFIG_HOME: join(fromSource, 'cfg') }, 'linux', fromSource)).toBe(join(fromSource, 'cfg', 'portcullis'));
    // A folder without a database (Chromium's profile alone) is not taken for the data.
    mkdirSync(join(fromSource, '.config', 'Portcullis'), { recursive: true });
    expect(defaultDataDir({}, 'linux', fromSource)).toBe(join(fromSource, '.local', 'share', 'portcullis'));
  });
});
