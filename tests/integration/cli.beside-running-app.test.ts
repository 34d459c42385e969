import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type Host, startHost, stopHost } from '../helpers/headless-host';
import { writeMcpConfig } from '../helpers/mcp';
import { cliBin } from '../helpers/paths';
import { terminalAccessFile } from '../../src/core/runtime/terminal-access';
import { tempDir } from '../helpers/temp-dir';
import { runCli } from '../helpers/cli-process';
import { until } from '../helpers/until';

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

  it('tools list beside a Portcullis that serves no way in for it says on stderr that it starts a second copy of each server (or, with none, that it runs on its own), naming the running process; --json stays whole', async () => {
    const dataDir = tempDir();
    markingServer(dataDir, join(tempDir(), 'started'));
    host = await startHost(dataDir);
    // What a process that serves no way in leaves (another `portcullis` command owning the folder, an older app).
    rmSync(terminalAccessFile(dataDir));
    const { stdout, stderr } = await cli('tools', 'list', '--json', '--data-dir', dataDir);
    expect(JSON.parse(stdout)).toHaveProperty('servers');
    expect(stderr).toContain(`Portcullis is running on this data folder (pid ${host.process.pid}). This command starts a second copy of each MCP server`);
    expect(stderr).toContain('It serves no way in for this command (no terminal-access.json of its own in its data folder)');

    // A call of a name no server accounts for starts a runtime for it, then one with every server: said once, each thing.
    const unknown = await runCli('tools', 'call', 'nosuch.tool', '--data-dir', dataDir);
    expect(unknown.stderr.split('Portcullis is running on this data folder').length - 1).toBe(1);
    expect(unknown.stderr.split('It serves no way in').length - 1).toBe(1);
    expect(unknown.stderr).toContain('This command starts a second copy of each MCP server');

    // With no MCP server to copy it still says that it runs on its own, and why, where it said nothing.
    rmSync(join(dataDir, 'mcp.json'));
    const bare = await cli('tools', 'list', '--json', '--data-dir', dataDir);
    expect(JSON.parse(bare.stdout)).toHaveProperty('servers', []);
    expect(bare.stderr).toContain(`Portcullis is running on this data folder (pid ${host.process.pid}). This command runs on its own, not through it. It serves no way in for this command`);
    expect(bare.stderr).not.toContain('second copy');

    // Alone on the folder, it says nothing of the kind.
    await stopHost(host);
    host = undefined;
    expect((await cli('tools', 'list', '--json', '--data-dir', dataDir)).stderr).not.toContain('second copy');
  }, 60_000);

  it('a second serve on the folder says that it runs beside the first, whose way in the commands keep, where it said nothing', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    const second = await startHost(dataDir);
    try {
      await until('its note', () => second.log(), (log) => log.includes('portcullis:'));
      expect(second.log()).toContain(`portcullis: Portcullis is already running on this data folder (pid ${host.process.pid}). This one runs beside it; each asks its approvals in its own window, and \`portcullis\` commands go through that one, not this one.`);
      expect(host.log()).not.toContain('already running');
      expect((await runCli('tools', 'list', '--json', '--data-dir', dataDir)).stderr).toContain(`through the Portcullis running on this data folder (pid ${host.process.pid})`);
    } finally {
      await stopHost(second);
    }
  }, 60_000);

  it('a folder at terminal-access.json\'s name is removed when empty, else moved aside with what is in it, at the start of serve, so that commands get in (no copy of the token left beside it)', async () => {
    for (const filled of [false, true]) {
      const dataDir = tempDir();
      const file = terminalAccessFile(dataDir);
      mkdirSync(file, { recursive: true });
      if (filled) writeFileSync(join(file, 'mine.txt'), 'keep me');
      host = await startHost(dataDir);
      const listed = await runCli('tools', 'list', '--json', '--data-dir', dataDir);
      expect(listed.stderr).toContain(`through the Portcullis running on this data folder (pid ${host.process.pid})`);
      const left = readdirSync(dirname(file));
      expect(left.filter((name) => /^terminal-access\.json\.\d+\./.test(name))).toEqual([]);
      if (filled) {
        const aside = left.find((name) => name.startsWith('terminal-access.json.moved-'))!;
        expect(readFileSync(join(dirname(file), aside, 'mine.txt'), 'utf8')).toBe('keep me');
      }
      await stopHost(host);
      host = undefined;
    }
  }, 90_000);

  it('a damaged terminal-access.json (empty, cut short, not JSON, a folder) is said to be damaged, with the restart that mends it, not taken for an older Portcullis; with no Portcullis running it is a leftover and says nothing', async () => {
    const dataDir = tempDir();
    markingServer(dataDir, join(tempDir(), 'started'));
    host = await startHost(dataDir);
    const file = terminalAccessFile(dataDir);
    const whole = readFileSync(file, 'utf8');
    const damages: Array<[string, () => void]> = [
      ['it is empty', () => writeFileSync(file, '')],
      ['it is not JSON (cut short or overwritten)', () => writeFileSync(file, whole.slice(0, 20))],
      ['it is not JSON (cut short or overwritten)', () => writeFileSync(file, 'hello')],
      ['it lacks the pid or token a Portcullis writes', () => writeFileSync(file, '[]')],
      ['it is a folder, not a file', () => (rmSync(file), mkdirSync(file))],
    ];
    for (const [why, damage] of damages) {
      rmSync(file, { recursive: true, force: true });
      writeFileSync(file, whole);
      damage();
      const listed = await runCli('tools', 'list', '--json', '--data-dir', dataDir);
      expect(JSON.parse(listed.stdout)).toHaveProperty('servers');
      expect(listed.stderr).toContain(`Its way in for commands, ${file}, is damaged (${why}), so this command cannot reach it; restarting that Portcullis (the app, or \`serve\`) writes the file afresh.`);
      expect(listed.stderr).not.toContain('before 0.1');
    }
    const asked = await runCli('tools', 'call', 'fs.write', '--args', '{"path":"a.txt","content":"x"}', '--approve', 'ask', '--data-dir', dataDir);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain(`--approve ask waits for the answer in the running Portcullis (pid ${host.process.pid}), but its way in for commands, ${file}, is damaged (it is a folder, not a file)`);
    const chat = await runCli('chat', '--approve', 'ask', '--data-dir', dataDir, 'hello');
    expect(chat.code).toBe(2);
    expect(chat.stderr).toContain(`but its way in for commands, ${file}, is damaged (it is a folder, not a file)`);

    // Alone on the folder a damaged file is what a crash left: the command runs as always and says nothing of it.
    await stopHost(host);
    host = undefined;
    rmSync(file, { recursive: true, force: true });
    writeFileSync(file, '');
    const alone = await runCli('tools', 'list', '--json', '--data-dir', dataDir);
    expect(alone.code).toBe(0);
    expect(alone.stderr).not.toContain('damaged');
    expect(alone.stderr).not.toContain('second copy');
  }, 90_000);
});
