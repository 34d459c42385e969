import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTerminalFolder, removeTerminalSocketFolder, terminalFolder, terminalSocketPath } from '../../src/core/runtime/terminal-access';
import { tempDir } from '../helpers/temp-dir';

describe("the desktop app's socket for commands", () => {
  it('is in the data folder when its path fits a socket address', () => {
    const dataDir = tempDir();
    expect(terminalSocketPath(dataDir, 'linux')).toBe(join(terminalFolder(dataDir), 'terminal.sock'));
  });

  it('beside a long data folder, is in a folder of its own (0700) under a name no other user can guess and take first, removed after', () => {
    const dataDir = join(tempDir(), 'x'.repeat(120));
    const first = terminalSocketPath(dataDir, 'linux');
    const second = terminalSocketPath(dataDir, 'linux');
    expect(dirname(dirname(first))).toBe(tmpdir());
    expect(first).not.toBe(second);
    expect(statSync(dirname(first)).mode & 0o777).toBe(0o700);
    removeTerminalSocketFolder(dataDir, first);
    removeTerminalSocketFolder(dataDir, second);
    expect(existsSync(dirname(first))).toBe(false);
    // The data folder's own terminal folder is never removed this way.
    const short = tempDir();
    makeTerminalFolder(short);
    removeTerminalSocketFolder(short, terminalSocketPath(short, 'linux'));
    expect(existsSync(terminalFolder(short))).toBe(true);
  });

  it('on Windows, is a named pipe whose name is drawn at random', () => {
    const pipe = terminalSocketPath(tempDir(), 'win32');
    expect(pipe).toMatch(/^\\\\\.\\pipe\\portcullis-[0-9a-f]{32}$/);
    expect(terminalSocketPath(tempDir(), 'win32')).not.toBe(pipe);
  });
});
