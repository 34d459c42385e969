import { realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bindWritesBackOverReads, remountHiddenReadOnly } from '../../src/core/sandbox/hidden-folder-mounts';
import { tempDir } from '../helpers/temp-dir';

const tail = ` --proc /proc -- /usr/bin/bash -c 'node -- x'`;

describe('bubblewrap lines over the folders sandbox-runtime hides (the private home, the data folder)', () => {
  it('binds a write grant back after the read-only bind of the re-allowed place holding it, before what is mounted deeper', () => {
    const data = realpathSync(tempDir());
    const ws = `${data}/workspace`;
    const line = `bwrap --ro-bind / / --bind ${ws}/out ${ws}/out --tmpfs ${data} --bind ${ws}/out ${ws}/out --bind ${data}/packages/srv ${data}/packages/srv --ro-bind ${ws} ${ws} --ro-bind /dev/null ${ws}/out/.env${tail}`;
    const [, , finished] = bindWritesBackOverReads(['/bin/bash', '-c', line], [ws]);
    expect(finished).toBe(`bwrap --ro-bind / / --bind ${ws}/out ${ws}/out --tmpfs ${data} --bind ${ws}/out ${ws}/out --bind ${data}/packages/srv ${data}/packages/srv --ro-bind ${ws} ${ws} --bind ${ws}/out ${ws}/out --ro-bind /dev/null ${ws}/out/.env${tail}`);
  });

  it("leaves alone a tmpfs put back over a write grant (sandbox-runtime's deny wins there), a bind after no re-allowed place, and a line not as expected", () => {
    const data = realpathSync(tempDir());
    const ws = `${data}/workspace`;
    const reapplied = `bwrap --ro-bind / / --tmpfs ${data} --ro-bind ${ws}/out ${ws}/out --ro-bind ${ws} ${ws}${tail}`;
    expect(bindWritesBackOverReads(['sh', reapplied], [ws])).toEqual(['sh', reapplied]);
    const notGranted = `bwrap --ro-bind / / --tmpfs ${data} --bind ${ws}/out ${ws}/out --ro-bind /tmp/empty ${ws}${tail}`;
    expect(bindWritesBackOverReads(['sh', notGranted], [`${data}/other`])).toEqual(['sh', notGranted]);
    const throughFile = `/bin/sh -c 'exec 3<"$1"' srt-args /proc/self/fd/9 bwrap --args 3 -- x`;
    expect(bindWritesBackOverReads([throughFile], [ws])).toEqual([throughFile]);
  });

  it('reads and writes quoted paths as sandbox-runtime quotes them', () => {
    const data = realpathSync(tempDir());
    const ws = `${data}/my 'work'`;
    const q = (p: string) => `'${p.replaceAll("'", `'"'"'`)}'`;
    const line = `bwrap --tmpfs ${data} --bind ${q(`${ws}/out`)} ${q(`${ws}/out`)} --ro-bind ${q(ws)} ${q(ws)}${tail}`;
    const [finished] = bindWritesBackOverReads([line], [ws]);
    expect(finished).toBe(`${line.slice(0, -tail.length)} --bind '${data}/my '\\''work'\\''/out' '${data}/my '\\''work'\\''/out'${tail}`);
  });

  it('remounts the hidden folder read-only just before bubblewrap runs the command, only where it is hidden under a tmpfs', () => {
    const data = realpathSync(tempDir());
    const line = `bwrap --ro-bind / / --tmpfs ${data} --ro-bind ${data}/workspace ${data}/workspace${tail}`;
    expect(remountHiddenReadOnly([line], data)).toEqual([`bwrap --ro-bind / / --tmpfs ${data} --ro-bind ${data}/workspace ${data}/workspace --proc /proc --remount-ro ${data} -- /usr/bin/bash -c 'node -- x'`]);
    const inHome = `bwrap --ro-bind / / --tmpfs /home/me --ro-bind ${data}/workspace ${data}/workspace${tail}`;
    expect(remountHiddenReadOnly([inHome], data)).toEqual([inHome]);
  });
});
