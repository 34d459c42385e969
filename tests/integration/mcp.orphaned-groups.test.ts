import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { recordFolder, recordGroup, reapOrphanedGroups } from '../../src/core/mcp/orphaned-groups';
import { running } from '../helpers/process-running';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const root = join(__dirname, '../..');
const server = join(root, 'tests/fixtures/mcp/background-child-server.mjs');
const owner = join(root, 'tests/fixtures/mcp/group-owner.ts');

function killLater(...pids: number[]): void {
  onTestFinished(() => {
    for (const pid of pids) if (running(pid)) process.kill(pid, 'SIGKILL');
  });
}

describe.skipIf(process.platform !== 'linux')('what the servers of a Portcullis that was killed left running', () => {
  it('is ended by the next Portcullis to start: the server that ignored its stdin closing and the child it started', async () => {
    const log = join(tempDir(), 'bg.log');
    // Its records in a temp folder of its own: every runtime another test file starts meanwhile reaps the shared one.
    const ownTemp = tempDir();
    const portcullis = spawn(process.execPath, ['--import', 'tsx', owner, process.execPath, server, '--log', log, '--stubborn', '--stubborn-child'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TMPDIR: ownTemp } });
    killLater(portcullis.pid!);
    await until('the server started', () => existsSync(log) && readFileSync(log, 'utf8').includes('child '), Boolean);
    const pids = (kind: string) => readFileSync(log, 'utf8').split('\n').flatMap((line) => (line.startsWith(`${kind} `) ? [Number(line.slice(kind.length + 1))] : []));
    const [serverPid] = pids('server');
    const [child] = pids('child');
    killLater(serverPid!, child!);
    // Killed outright: no exit handler runs, and both run on.
    portcullis.kill('SIGKILL');
    await once(portcullis, 'exit');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(running(serverPid!)).toBe(true);
    expect(running(child!)).toBe(true);
    const reaped = await reapOrphanedGroups(recordFolder(ownTemp));
    expect(reaped).toEqual(expect.arrayContaining([serverPid, child]));
    await until('both ended', () => running(serverPid!) || running(child!), (alive) => !alive);
  });

  it('leaves alone a process in a recorded group that does not carry the dead owner in its environment (a number taken over)', async () => {
    const folder = tempDir();
    const stranger = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 60_000)'], { detached: true, stdio: 'ignore' });
    killLater(stranger.pid!);
    await once(stranger, 'spawn');
    // Recorded as a group of a Portcullis that no longer runs (pid 1 did not start at tick 0).
    recordGroup(stranger.pid!, '1:0', folder);
    expect(await reapOrphanedGroups(folder)).toEqual([]);
    expect(running(stranger.pid!)).toBe(true);
    // Its record is removed all the same: the group it named is gone.
    expect(readdirSync(folder)).toEqual([]);
  });
});
