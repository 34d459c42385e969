import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxGrants } from '../../src/shared/domain/tool-catalog';
import { namedFolders, unwritableFolders } from '../../src/core/mcp/unwritable-folders';
import { sandboxWriteHint } from '../../src/core/mcp/sandbox-write-hint';
import { tempDir } from '../helpers/temp-dir';

const grants = (writable: string[]): SandboxGrants => ({ home: 'private', readable: [], workspaceSecrets: { hidden: [], allowed: [], complete: true }, writable, packageCache: null, domains: [], offline: true, memoryMb: null, cpuSeconds: null, maxProcesses: null });

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

describe("the folders of files a server's env names, as its row lists them", () => {
  it('are the folder holding each (the nearest existing one), or the named folder itself, unless it may write the path already', () => {
    const base = tempDir();
    mkdirSync(join(base, 'notes'));
    mkdirSync(join(base, 'store'));
    writeFileSync(join(base, 'notes', 'memory.jsonl'), '');
    const environment = [
      { variable: 'MEMORY_FILE_PATH', path: join(base, 'notes', 'memory.jsonl') },
      { variable: 'DATA_DIR', path: join(base, 'store') },
      { variable: 'NEW_DB', path: join(base, 'later', 'deep', 'app.db') },
      { variable: 'GRANTED', path: '/work/app.db' },
    ];
    expect(unwritableFolders({ server: 'memory', refused: [], named: [join(base, 'store')], environment, grants: grants(['/work']), refusal: () => null })).toEqual([
      { folder: join(base, 'store'), seen: 'named', notOffered: null },
      { folder: join(base, 'notes'), seen: 'environment', environment: environment[0], notOffered: null },
      { folder: base, seen: 'environment', environment: environment[2], notOffered: null },
    ]);
  });
});

describe("a data file its env names in a folder never offered", () => {
  it("offers to point it at a file in a folder of the person's, where the home folder itself is refused (a pasted MEMORY_FILE_PATH of ~/memory.jsonl)", () => {
    const home = tempDir();
    const refusal = (folder: string) => (folder === home ? { why: `${home} is your home folder`, byHand: true } : null);
    const environment = [{ variable: 'MEMORY_FILE_PATH', path: join(home, 'memory.jsonl') }];
    expect(unwritableFolders({ server: 'memory', refused: [], named: [], environment, grants: grants([]), refusal })).toEqual([
      {
        folder: home,
        seen: 'environment',
        environment: environment[0],
        notOffered:
          `It is not offered here: ${home} is your home folder. If you really mean it, add the folder to "sandbox": { "allowWrite": [...] } of memory in mcp.json. ` +
          'Or point it elsewhere: set "env": { "MEMORY_FILE_PATH": "~/Documents/memory.jsonl" } of memory in mcp.json (or a file in another folder of yours), then allow memory to write that folder on its row.',
      },
    ]);
    // A folder its arguments name is the person's choice of place: no other place is suggested for it.
    expect(unwritableFolders({ server: 'files', refused: [], named: [home], grants: grants([]), refusal })[0]?.notOffered).not.toContain('point it elsewhere');
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

  it('names the env variable whose file it tried to write (or that file\'s temporary twin beside it)', () => {
    const environment = [{ variable: 'MEMORY_FILE_PATH', path: '/home/me/notes/memory.jsonl' }];
    for (const path of ['/home/me/notes/memory.jsonl', '/home/me/notes/memory.jsonl.3f2a.tmp']) {
      expect(sandboxWriteHint('memory', `EROFS: read-only file system, open '${path}'`, grants([]), ['/home/me/notes'], [], environment, 'linux')).toBe(
        'Portcullis\' sandbox kept this write from happening: memory may write nothing of yours. It tried to write /home/me/notes/memory.jsonl, which its env\'s MEMORY_FILE_PATH names. "Allow memory to write /home/me/notes" on the Tools & servers page lets it, or add the folder to "sandbox": { "allowWrite": [...] } of memory in mcp.json.',
      );
    }
    expect(sandboxWriteHint('memory', "EROFS: read-only file system, open '/home/me/other.txt'", grants([]), [], [], environment, 'linux')).not.toContain('MEMORY_FILE_PATH');
  });

  it("says a server writing into its own package (node_modules, npx's cache) is pointed at a data file elsewhere, not granted its package folder", () => {
    const memory = "Error: EROFS: read-only file system, open '/work/app/node_modules/@modelcontextprotocol/server-memory/dist/memory.jsonl'";
    const hint = sandboxWriteHint('memory', memory, grants(['/home/me/notes']), [], [], [], 'linux')!;
    expect(hint).toBe(
      "Portcullis' sandbox kept this write from happening: memory may write only /home/me/notes. It tried to write /work/app/node_modules/@modelcontextprotocol/server-memory/dist/memory.jsonl, inside its own package: a server that writes into its own package should be pointed at a data file elsewhere, not granted its package folder (an update or a cleared cache would take the data with it). To keep its data, set \"env\": { \"MEMORY_FILE_PATH\": \"/home/me/notes/memory.jsonl\" } of memory in mcp.json.",
    );
    expect(hint).not.toContain('allowWrite');
    // A file in a project's node_modules that the call itself named is the caller's to write: granted as any folder.
    const edit = "EROFS: read-only file system, open '/home/me/app/node_modules/lib/index.js'";
    expect(sandboxWriteHint('files', edit, grants([]), [], ['/home/me/app/node_modules/lib/index.js'], [], 'linux')).toContain('To let it write there, add the folder to "sandbox": { "allowWrite": [...] }');
    // With no folder it may write yet, a path to paste as is, not words inside the quotes.
    expect(sandboxWriteHint('memory', memory, grants([]), [], [], [], 'linux')).toContain(
      'To keep its data, set "env": { "MEMORY_FILE_PATH": "~/Documents/memory.jsonl" } of memory in mcp.json (or a file in another folder of yours), then allow memory to write that folder on its row.',
    );
    const npx = "EROFS: read-only file system, open '/data/cache/mcp-servers/kv/npm/_npx/3f2a/node_modules/kv-server/store.db'";
    expect(sandboxWriteHint('kv', npx, grants([]), [], [], [], 'linux')).toContain('not granted its package folder (an update or a cleared cache would take the data with it). To keep its data, set the data file its documentation names (usually in "env") of kv in mcp.json to a file in a folder you let it write.');
  });
});
