import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderOfWrite, pathsNamedIn, refusedWriteFolders, refusedWritePaths } from '../../src/core/sandbox/refused-write';
import { tempDir } from '../helpers/temp-dir';

describe('the paths a server says it could not write because its file system is read-only', () => {
  it("reads Node's EROFS error, a rename's two paths and the error inside a server's longer text", () => {
    expect(refusedWritePaths("Error: EROFS: read-only file system, open '/home/me/Documents/todo.md'")).toEqual(['/home/me/Documents/todo.md']);
    expect(refusedWritePaths("EROFS: read-only file system, mkdir '/srv/out/new'")).toEqual(['/srv/out/new']);
    expect(refusedWritePaths("EROFS: read-only file system, rename '/a/x.tmp' -> '/b/x'")).toEqual(['/a/x.tmp', '/b/x']);
  });

  it("reads Python's [Errno 30], its path quoted as repr quotes it", () => {
    expect(refusedWritePaths("OSError: [Errno 30] Read-only file system: '/home/me/notes/a.txt'")).toEqual(['/home/me/notes/a.txt']);
    expect(refusedWritePaths(`[Errno 30] Read-only file system: "/home/me/it's here/a.txt"`)).toEqual(["/home/me/it's here/a.txt"]);
    expect(refusedWritePaths("[Errno 30] Read-only file system: '/a/x' -> '/b/y'")).toEqual(['/a/x', '/b/y']);
  });

  it("reads macOS's sandbox refusal (EPERM on a write, Node's and Python's) on macOS only, where sandbox-exec says so", () => {
    const node = "Error: EPERM: operation not permitted, open '/Users/me/Documents/todo.md'";
    const python = "PermissionError: [Errno 1] Operation not permitted: '/Users/me/notes/a.txt'";
    expect(refusedWritePaths(node, 'darwin')).toEqual(['/Users/me/Documents/todo.md']);
    expect(refusedWritePaths("EPERM: operation not permitted, rename '/a/x.tmp' -> '/b/x'", 'darwin')).toEqual(['/a/x.tmp', '/b/x']);
    expect(refusedWritePaths(python, 'darwin')).toEqual(['/Users/me/notes/a.txt']);
    // bubblewrap says EROFS; EPERM on Linux is something else (a seccomp refusal, a chown).
    expect(refusedWritePaths(node, 'linux')).toEqual([]);
    expect(refusedWritePaths(python, 'linux')).toEqual([]);
    // An EPERM that is no write (a kill, a read of a protected folder's listing) is not one either.
    expect(refusedWritePaths("EPERM: operation not permitted, scandir '/Users/me/Library/Mail'", 'darwin')).toEqual([]);
    const base = tempDir();
    expect(refusedWriteFolders(`EPERM: operation not permitted, open '${join(base, 'todo.md')}'`, [base], 'darwin')).toEqual([base]);
  });

  it('finds none where the error names no full path, or is not a read-only file system', () => {
    expect(refusedWritePaths('Read-only file system (os error 30)')).toEqual([]); // Rust's: no path
    expect(refusedWritePaths("EROFS: read-only file system, open 'relative/x'")).toEqual([]);
    expect(refusedWritePaths("EACCES: permission denied, open '/etc/shadow'")).toEqual([]);
    expect(refusedWritePaths("ENOENT: no such file or directory, open '/x/y'")).toEqual([]);
  });
});

describe('the folder a refused write needed', () => {
  it("is the nearest parent that exists as a folder: a new file's own folder, a new folder's first existing parent", () => {
    const base = tempDir();
    mkdirSync(join(base, 'notes'));
    expect(folderOfWrite(join(base, 'notes', 'todo.md'))).toBe(join(base, 'notes'));
    expect(folderOfWrite(join(base, 'notes', 'a', 'b', 'c.md'))).toBe(join(base, 'notes'));
    expect(folderOfWrite(join(base, 'notes'))).toBe(base); // the folder itself written (removed, renamed): its parent
    expect(folderOfWrite('/')).toBe('/');
  });

  it('once each, from an error text, of the paths the call named only', () => {
    const base = tempDir();
    expect(refusedWriteFolders(`EROFS: read-only file system, rename '${base}/x.tmp' -> '${base}/x'`, [`${base}/x`, `${base}/x.tmp`])).toEqual([base]);
    expect(refusedWriteFolders(`EROFS: read-only file system, open '${base}/notes/a.md'`, [base])).toEqual([base]); // inside a folder it named
    // server-filesystem's write_file writes `<file>.<random>.tmp` beside the file, then renames it over it.
    expect(refusedWriteFolders(`EROFS: read-only file system, open '${base}/report.md.58fd6cd804dd33e7.tmp'`, [`${base}/report.md`])).toEqual([base]);
    expect(refusedWriteFolders(`EROFS: read-only file system, open '${base}/report.mdx'`, [`${base}/report.md`])).toEqual([]); // not its twin
    // The error text is the server's: a path no argument named (a hostile server's pick) is not offered.
    expect(refusedWriteFolders(`EROFS: read-only file system, open '${base}/elsewhere/run.sh'`, [`${base}/notes/a.md`])).toEqual([]);
    expect(refusedWriteFolders(`EROFS: read-only file system, open '${base}/a.md'`, [])).toEqual([]);
  });

  it('finds the absolute paths among a call\'s arguments, nested and with ~', () => {
    expect(pathsNamedIn({ path: '/srv/notes/a.md', edits: [{ file: '~/docs/b.md' }], content: 'not/a/path', n: 3 })).toEqual(['/srv/notes/a.md', join(homedir(), 'docs', 'b.md')]);
  });
});
