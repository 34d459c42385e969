import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, parse } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveWorkspace } from '../../src/core/config/workspace-choice';
import { checkWorkspaceFolder, workspaceWarning } from '../../src/core/config/workspace-folder';
import { ValidationError } from '../../src/shared/errors';
import { tempDir } from '../helpers/temp-dir';

/** A data folder with its default workspace, and a folder outside it. */
function layout() {
  const dataDir = tempDir();
  mkdirSync(join(dataDir, 'workspace'));
  const elsewhere = realpathSync(tempDir());
  return { dataDir, elsewhere };
}

describe('checkWorkspaceFolder: a folder chosen as the workspace', () => {
  it('is an existing folder, given by its full path, and comes back as its real path', () => {
    const { dataDir, elsewhere } = layout();
    expect(checkWorkspaceFolder(elsewhere, dataDir)).toBe(elsewhere);
    const link = join(tempDir(), 'link');
    symlinkSync(elsewhere, link);
    expect(checkWorkspaceFolder(link, dataDir)).toBe(elsewhere);
  });

  it('reads ~/… as the home folder, as a shell and mcp.json do', () => {
    const { dataDir } = layout();
    const inHome = mkdtempSync(join(homedir(), '.portcullis-ws-test-'));
    try {
      expect(checkWorkspaceFolder(`~/${basename(inHome)}`, dataDir)).toBe(realpathSync(inHome));
      expect(() => checkWorkspaceFolder('~/no-such-folder-for-portcullis', dataDir)).toThrow(`There is no folder at ${join(homedir(), 'no-such-folder-for-portcullis')}`);
    } finally {
      rmSync(inHome, { recursive: true, force: true });
    }
  });

  it.each([
    ['a relative path', () => 'projects/notes', /^"projects\/notes" is not a full path: type the folder's path from the root/],
    ['a path where nothing is', (at: string) => join(at, 'missing'), /^There is no folder at .*missing: create it first, or type another path\.$/],
    ['a file', (at: string) => (writeFileSync(join(at, 'file.txt'), 'x'), join(at, 'file.txt')), /file\.txt is a file, not a folder: type the path of a folder\.$/],
    ['the root of the file system', () => parse(process.cwd()).root, /is the root of the file system: choose a folder inside it/],
  ])('refuses %s with a sentence that says what to do', (_name, pathIn, message) => {
    const { dataDir, elsewhere } = layout();
    const attempt = () => checkWorkspaceFolder(pathIn(elsewhere), dataDir);
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(message);
  });

  it("refuses the data folder and what is in it (its databases, exports), by name or through a link, but not the default workspace", () => {
    const { dataDir } = layout();
    mkdirSync(join(dataDir, 'exports'));
    mkdirSync(join(dataDir, 'workspace', 'project'));
    const alias = join(tempDir(), 'alias');
    symlinkSync(dataDir, alias);
    for (const path of [dataDir, join(dataDir, 'exports'), alias, join(alias, 'exports')]) {
      expect(() => checkWorkspaceFolder(path, dataDir), path).toThrow(/is inside Portcullis's data folder .*: choose a folder outside it, or use the default\.$/);
    }
    expect(checkWorkspaceFolder(join(dataDir, 'workspace'), dataDir)).toBe(realpathSync(join(dataDir, 'workspace')));
    expect(checkWorkspaceFolder(join(dataDir, 'workspace', 'project'), dataDir)).toBe(realpathSync(join(dataDir, 'workspace', 'project')));
  });

  it('allows a folder that holds the data folder (the tools are kept out of it), and warns when it is the home folder', () => {
    const home = realpathSync(tempDir());
    const dataDir = join(home, '.local', 'share', 'portcullis');
    mkdirSync(dataDir, { recursive: true });
    expect(checkWorkspaceFolder(home, dataDir)).toBe(home);
    expect(workspaceWarning(home, home)).toMatch(/is your whole home folder: the tools may read and write everything in it/);
    expect(workspaceWarning(join(home, 'projects'), home)).toBeNull();
  });
});

describe('resolveWorkspace: --workspace wins over Settings, which wins over the default', () => {
  it('takes the flag, else the chosen folder, else <dataDir>/workspace', () => {
    const { dataDir, elsewhere } = layout();
    const flag = tempDir();
    expect(resolveWorkspace({ flag, chosen: elsewhere, dataDir })).toEqual({ path: flag, source: 'flag', problem: null });
    expect(resolveWorkspace({ chosen: elsewhere, dataDir })).toEqual({ path: elsewhere, source: 'setting', problem: null });
    expect(resolveWorkspace({ chosen: null, dataDir })).toEqual({ path: join(dataDir, 'workspace'), source: 'default', problem: null });
  });

  it('falls back to the default, saying why, when the chosen folder is gone', () => {
    const { dataDir, elsewhere } = layout();
    rmSync(elsewhere, { recursive: true });
    expect(resolveWorkspace({ chosen: elsewhere, dataDir })).toEqual({
      path: join(dataDir, 'workspace'),
      source: 'default',
      problem: `The workspace chosen in Settings cannot be used, so the default is: There is no folder at ${elsewhere}: create it first, or type another path.`,
    });
  });
});
