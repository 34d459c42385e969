import { closeSync, constants, fchmodSync, openSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it, onTestFinished } from 'vitest';
import { editBwrapLine } from '../../src/core/sandbox/bwrap-args-file';
import { remountHiddenReadOnly } from '../../src/core/sandbox/hidden-folder-mounts';
import { tempDir } from '../helpers/temp-dir';

/** An unnamed file holding `words` as sandbox-runtime writes its `--args` profile, open for writing, then made 0400. */
function profile(words: string[]): number {
  const fd = openSync(tmpdir(), 0o20000000 | constants.O_DIRECTORY | constants.O_RDWR, 0o600);
  onTestFinished(() => closeSync(fd));
  writeFileSync(fd, words.map((w) => `${w}\0`).join(''));
  fchmodSync(fd, 0o400);
  return fd;
}
const words = (fd: number) => readFileSync(`/proc/self/fd/${fd}`, 'utf8').split('\0').slice(0, -1);
const throughFile = (fd: number, pid = process.pid) =>
  `/bin/sh -c 'exec 9<"$1" && shift && exec "$@"' srt-args /proc/${pid}/fd/${fd} bwrap --new-session --setenv X 'a b' --args 9 --dev /dev --proc /proc -- /usr/bin/bash -c 'node -- x'`;

describe.runIf(process.platform === 'linux')("bubblewrap's line with its mounts passed through a file (past 128 KiB)", () => {
  it('makes the edit on the mounts in the file and keeps the line reading it', () => {
    const data = realpathSync(tempDir());
    const fd = profile(['--ro-bind', '/', '/', '--tmpfs', data, '--ro-bind', `${data}/my 'work'`, `${data}/my 'work'`]);
    const line = throughFile(fd);
    const edited = editBwrapLine(['/bin/bash', '-c', line], (argv) => remountHiddenReadOnly(argv, data));
    expect(edited).toEqual(['/bin/bash', '-c', line.replace(' --dev /dev --proc /proc', '')]);
    expect(words(fd)).toEqual(['--ro-bind', '/', '/', '--tmpfs', data, '--ro-bind', `${data}/my 'work'`, `${data}/my 'work'`, '--dev', '/dev', '--proc', '/proc', '--remount-ro', data]);
  });

  it('passes a line with its mounts inline to the edit as it is', () => {
    const line = `bwrap --tmpfs /d --proc /proc -- bash -c x`;
    expect(editBwrapLine(['sh', '-c', line], (argv) => remountHiddenReadOnly(argv, '/d'))).toEqual(['sh', '-c', `bwrap --tmpfs /d --proc /proc --remount-ro /d -- bash -c x`]);
  });

  it('refuses, saying why, a line in neither form, a file of another process or one with a name on disk', () => {
    const keep = (argv: string[]) => argv;
    expect(() => editBwrapLine(['sh', '-c', 'firejail x'], keep)).toThrow(/could not be finished: its command line is in a form Portcullis does not know\. The server is not started/);
    const fd = profile(['--tmpfs', '/d']);
    expect(() => editBwrapLine(['sh', '-c', throughFile(fd, process.pid + 1)], keep)).toThrow(/mounts went to a file in a form Portcullis does not know/);
    const named = openSync(`${tempDir()}/args`, 'w+');
    onTestFinished(() => closeSync(named));
    writeFileSync(named, '--tmpfs\0/d\0');
    expect(() => editBwrapLine(['sh', '-c', throughFile(named)], keep)).toThrow(/mounts' file could not be read \(it has a name on disk\)/);
  });
});
