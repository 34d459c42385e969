import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type Host, startHost, stopHost } from '../helpers/headless-host';
import { writeMcpConfig } from '../helpers/mcp';
import { cliBin } from '../helpers/paths';
import { terminalAccessFile } from '../../src/core/runtime/terminal-access';
import { tempDir } from '../helpers/temp-dir';

const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, [cliBin, ...args]);

/** An mcp.json entry that leaves a mark each time it is started (it is no MCP server, and fails after). */
function markingServer(dataDir: string, mark: string): void {
  writeMcpConfig(dataDir, { marker: { command: process.execPath, args: ['-e', `require('fs').appendFileSync(${JSON.stringify(mark)}, 'started\\n')`], sandbox: false } });
}

describe('a `portcullis` command run beside the running app', () => {
  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('reading conversations or searching starts no MCP server (they were second copies of the app\'s)', async () => {
    const dataDir = tempDir();
    const mark = join(tempDir(), 'started');
    markingServer(dataDir, mark);
    await cli('conversations', 'list', '--json', '--data-dir', dataDir);
    await cli('search', '--json', 'dentist', '--data-dir', dataDir);
    expect(existsSync(mark)).toBe(false);
    // A command that needs the servers starts it (and so would leave the mark).
    await cli('tools', 'list', '--json', '--data-dir', dataDir);
    expect(existsSync(mark)).toBe(true);
  }, 60_000);

  it('tools list beside a Portcullis that serves no way in for it says on stderr that it starts a second copy of each server, naming the running process; --json stays whole', async () => {
    const dataDir = tempDir();
    markingServer(dataDir, join(tempDir(), 'started'));
    host = await startHost(dataDir);
    // What a process that serves no way in leaves (another `portcullis` command owning the folder, an older app).
    rmSync(terminalAccessFile(dataDir));
    const { stdout, stderr } = await cli('tools', 'list', '--json', '--data-dir', dataDir);
    expect(JSON.parse(stdout)).toHaveProperty('servers');
    expect(stderr).toContain(`Portcullis is running on this data folder (pid ${host.process.pid}). This command starts a second copy of each MCP server`);
    expect(stderr).toContain('It serves no way in for this command (terminal-access.json)');

    // Alone on the folder, it says nothing of the kind.
    await stopHost(host);
    host = undefined;
    expect((await cli('tools', 'list', '--json', '--data-dir', dataDir)).stderr).not.toContain('second copy');
  }, 60_000);
});
