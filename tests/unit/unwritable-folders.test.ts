import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxGrants } from '../../src/shared/domain/tool-catalog';
import { namedFolders, unwritableFolders } from '../../src/core/mcp/unwritable-folders';
import { sandboxWriteHint } from '../../src/core/mcp/sandbox-write-hint';
import { tempDir } from '../helpers/temp-dir';

const grants = (writable: string[]): SandboxGrants => ({ writable, packageCache: null, domains: [], offline: true, memoryMb: null, cpuSeconds: null, maxProcesses: null });

describe("the folders a server's arguments name", () => {
  it("are its existing folders given as arguments (server-filesystem's), not files, missing paths or an option's value", () => {
    const base = tempDir();
    mkdirSync(join(base, 'notes'));
    mkdirSync(join(base, 'code'));
    writeFileSync(join(base, 'server.js'), '');
    const args = ['-y', '@modelcontextprotocol/server-filesystem', join(base, 'notes'), join(base, 'server.js'), join(base, 'gone'), '--directory', join(base, 'code'), 'relative', join(base, 'notes')];
    expect(namedFolders(args)).toEqual([join(base, 'notes')]);
  });
});

describe("a sandboxed server's folders it may not write, as its row lists them", () => {
  it('lists refused folders, then named ones, once each, leaving out what it may write, each offered or saying why not', () => {
    const refusal = (folder: string) => (folder === '/home/me' ? { why: '/home/me is your home folder', byHand: true } : folder.startsWith('/data') ? { why: `${folder} is inside Portcullis's data folder, which no server may write`, byHand: false } : null);
    expect(unwritableFolders({ server: 'files', refused: ['/home/me/Documents', '/data/x'], named: ['/home/me/Documents', '/home/me', '/home/me/ok', '/work/in'], grants: grants(['/work']), refusal })).toEqual([
      { folder: '/home/me/Documents', seen: 'refused', notOffered: null },
      { folder: '/data/x', seen: 'refused', notOffered: "It is not offered: /data/x is inside Portcullis's data folder, which no server may write." },
      { folder: '/home/me', seen: 'named', notOffered: 'It is not offered here: /home/me is your home folder. If you really mean it, add the folder to "sandbox": { "allowWrite": [...] } of files in mcp.json.' },
      { folder: '/home/me/ok', seen: 'named', notOffered: null },
    ]);
  });
});

describe("a refused write's hint in the tool's error", () => {
  it('points to the button on the Tools & servers page when the folder is offered there, else to mcp.json', () => {
    const error = "EROFS: read-only file system, open '/home/me/Documents/a.md'";
    expect(sandboxWriteHint('files', error, grants([]), ['/home/me/Documents'])).toBe(
      'Portcullis\' sandbox kept this write from happening: files may write nothing of yours. "Allow files to write /home/me/Documents" on the Tools & servers page lets it, or add the folder to "sandbox": { "allowWrite": [...] } of files in mcp.json.',
    );
    expect(sandboxWriteHint('files', error, grants(['/work']), [])).toBe(
      'Portcullis\' sandbox kept this write from happening: files may write only /work. To let it write there, add the folder to "sandbox": { "allowWrite": [...] } of files in mcp.json.',
    );
    expect(sandboxWriteHint('files', error, null, [])).toBeNull(); // not sandboxed: not the sandbox's doing
  });
});
