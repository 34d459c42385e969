import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeGrantRefusal, type WriteGrantPlaces } from '../../src/core/sandbox/write-grant-rules';
import { tempDir } from '../helpers/temp-dir';

const home = '/home/me';
const places: WriteGrantPlaces = { home, dataDir: '/home/me/.config/portcullis', workspace: '/home/me/.config/portcullis/workspace', programFolders: ['/opt/Portcullis'] };
const why = (folder: string, at: WriteGrantPlaces = places) => writeGrantRefusal(folder, at);

describe('which folders a server may be let write in one click', () => {
  it("offers the person's own folders: in their home, in the workspace (even inside the data folder), elsewhere on disk", () => {
    expect(why('/home/me/Documents')).toBeNull();
    expect(why('/home/me/Documents/notes')).toBeNull();
    expect(why('/home/me/.config/portcullis/workspace')).toBeNull();
    expect(why('/home/me/.config/portcullis/workspace/reports')).toBeNull();
    expect(why('/mnt/data/photos')).toBeNull();
    expect(why('/tmp/build')).toBeNull();
  });

  it("never offers Portcullis's data folder, around the workspace: not even by hand in mcp.json", () => {
    expect(why('/home/me/.config/portcullis')).toEqual({ why: expect.stringContaining("inside Portcullis's data folder"), byHand: false });
    expect(why('/home/me/.config/portcullis/exports')).toEqual({ why: expect.stringContaining("inside Portcullis's data folder"), byHand: false });
    const elsewhere = { ...places, dataDir: '/home/me/Portcullis', workspace: '/home/me/work' };
    expect(why('/home/me/Portcullis/logs', elsewhere)?.byHand).toBe(false);
    expect(why('/home/me/work/src', elsewhere)).toBeNull();
    expect(why('/home/me', { ...elsewhere })?.why).toBe('/home/me is your home folder');
    // A folder holding the data folder holds its databases and policy too.
    expect(why('/data/shared', { ...elsewhere, dataDir: '/data/shared/portcullis' })).toEqual({ why: "/data/shared holds Portcullis's data folder", byHand: true });
  });

  it('leaves the root, the home folder itself, top-level and system folders to mcp.json', () => {
    expect(why('/')).toEqual({ why: '/ is the root of the filesystem', byHand: true });
    expect(why('/home/me')).toEqual({ why: '/home/me is your home folder', byHand: true });
    expect(why('/home')?.why).toBe('/home is a folder at the top of the filesystem');
    expect(why('/tmp')?.why).toBe('/tmp is a folder at the top of the filesystem');
    for (const folder of ['/etc/nginx', '/usr/local/bin', '/var/lib/app', '/opt/tool', '/Library/LaunchAgents', '/System/Library']) {
      expect(why(folder), folder).toEqual({ why: `${folder} is a system folder`, byHand: true });
    }
    // A home folder under a system folder (root's /root) is the person's own.
    expect(why('/root/notes', { ...places, home: '/root', dataDir: '/root/.portcullis', workspace: '/root/.portcullis/workspace' })).toBeNull();
  });

  it('leaves credentials, hidden folders (settings, hooks, startup files) and the program Portcullis runs on to mcp.json', () => {
    expect(why('/home/me/.ssh')?.why).toMatch(/holds credentials|hidden/);
    expect(why('/home/me/.config')?.why).toMatch(/holds credentials|hidden/);
    for (const folder of ['/home/me/.config/autostart', '/home/me/.local/bin', '/home/me/project/.git', '/home/me/project/.vscode', '/mnt/repo/.git/hooks']) {
      expect(why(folder), folder).toEqual({ why: `${folder} is a hidden folder, where settings, credentials and scripts that run on their own are kept`, byHand: true });
    }
    expect(why('/home/me/Applications/Portcullis', { ...places, programFolders: ['/home/me/Applications/Portcullis/bin'] })).toEqual({
      why: '/home/me/Applications/Portcullis holds the program Portcullis runs on',
      byHand: true,
    });
  });

  it("leaves to mcp.json the home folder's folders whose programs run in place of a command or at login, and those holding them", () => {
    const at = { ...places, pathFolders: ['/home/me/tools/node/bin', '/usr/bin', 'relative/bin'] };
    for (const folder of ['/home/me/bin', '/home/me/go/bin', '/home/me/Library/LaunchAgents', '/home/me/AppData/Roaming', '/home/me/tools/node/bin', '/home/me/tools']) {
      expect(why(folder, at)?.why, folder).toMatch(/^\/home\/me\/\S+ (is|is inside \/home\/me\/\S+,|holds \/home\/me\/\S+,) where programs are kept that run on their own or in place of the commands you type$/);
      expect(why(folder, at)?.byHand).toBe(true);
    }
    expect(why('/home/me/go', at)?.why).toBe('/home/me/go holds /home/me/go/bin, where programs are kept that run on their own or in place of the commands you type');
    // The folder itself is named once (the row read "/home/me/bin is /home/me/bin, where…").
    expect(why('/home/me/bin', at)?.why).toBe('/home/me/bin is where programs are kept that run on their own or in place of the commands you type');
    expect(why('/home/me/Library/LaunchAgents', at)?.why).toBe('/home/me/Library/LaunchAgents is inside /home/me/Library, where programs are kept that run on their own or in place of the commands you type');
    expect(why('/home/me/tools/notes', at)).toBeNull();
    expect(why('/home/me/binders', at)).toBeNull();
  });

  it('judges a folder also where its links lead, and never a relative path', () => {
    const base = tempDir();
    const ssh = join(base, 'home', '.ssh');
    mkdirSync(ssh, { recursive: true });
    symlinkSync(ssh, join(base, 'notes'));
    const at = { ...places, home: join(base, 'home') };
    expect(why(join(base, 'notes'), at)?.why).toBe(`${join(base, 'notes')} leads to ${ssh}: ${ssh} is a hidden folder, where settings, credentials and scripts that run on their own are kept`);
    expect(why('notes')).toEqual({ why: 'notes is not a full path', byHand: true });
  });
});
