import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { writeMcpConfig } from '../helpers/mcp';
import { cliBin } from '../helpers/paths';
import { startTestRuntime } from '../helpers/test-runtime';
import { running } from '../helpers/process-running';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const fixture = join(__dirname, '../fixtures/mcp/background-child-server.mjs');

/** A `sandbox: false` server ("bg") that started a child in the background, in a real runtime. */
async function startServer(args: string[] = [], extra: Record<string, unknown> = {}) {
  const dataDir = tempDir();
  const log = join(dataDir, 'bg.log');
  const config = { command: process.execPath, args: [fixture, '--log', log, ...args], sandbox: false, ...extra };
  writeMcpConfig(dataDir, { bg: config });
  const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
  await runtime.mcp.settled();
  const logLines = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  const pids = (kind: 'server' | 'child'): number[] => logLines().flatMap((line) => (line.startsWith(`${kind} `) ? [Number(line.slice(kind.length + 1))] : []));
  // Whatever a failing test leaves is not left running.
  onTestFinished(() => {
    for (const pid of [...pids('server'), ...pids('child')]) if (running(pid)) process.kill(pid, 'SIGKILL');
  });
  const [child] = pids('child');
  expect(running(child!)).toBe(true);
  return { runtime, dataDir, config, logLines, pids, child: child! };
}

describe.skipIf(process.platform !== 'linux')("a sandbox: false server's background processes end with it (its own process group)", () => {
  it('turning it off ends the process it started, where it ran on with parent 1', async () => {
    const { runtime, dataDir, config, child } = await startServer();
    writeFileSync(join(dataDir, 'mcp.json'), JSON.stringify({ mcpServers: { bg: { ...config, enabled: false } } }));
    await runtime.mcp.reload(join(dataDir, 'mcp.json'));
    expect(running(child)).toBe(false);
  });

  it("a restart ends the old process's child, and the new one has its own", async () => {
    const { runtime, pids, child } = await startServer();
    await runtime.mcp.restart('bg');
    expect(running(child)).toBe(false);
    await runtime.mcp.settled();
    const { record } = await runtime.callTool('bg.echo', { message: 'again' });
    expect(record.status).toBe('succeeded');
    expect(pids('child')).toHaveLength(2);
    expect(running(pids('child')[1]!)).toBe(true);
  });

  it('quitting (the runtime disposed) ends it', async () => {
    const { runtime, child } = await startServer();
    await runtime.dispose();
    expect(running(child)).toBe(false);
  });

  it('a server that exits by itself takes its child with it, where each restart left one more running', async () => {
    const { runtime, child } = await startServer([], { maxRetries: 0 });
    const { record } = await runtime.callTool('bg.exit', {});
    expect(record.error?.code).toBe('MCP_SERVER_UNAVAILABLE');
    await until('its child ended', () => running(child), (alive) => !alive);
  });

  it('a server and a child that ignore stdin closing and SIGTERM are killed once told once: dispose resolves with neither left', async () => {
    const { runtime, pids, logLines, child } = await startServer(['--stubborn', '--stubborn-child']);
    await runtime.dispose();
    expect(running(pids('server')[0]!)).toBe(false);
    expect(running(child)).toBe(false);
    // One SIGTERM, then SIGKILL, where the SDK sent a second SIGTERM 2 s after stdin closed and SIGKILL 2 s later.
    expect(logLines().filter((line) => line === 'signal SIGTERM')).toHaveLength(1);
  });

  it("Ctrl+C on portcullis tools call stops its servers first (exit 130), where they no longer get the terminal's signal", async () => {
    const dataDir = tempDir();
    const log = join(dataDir, 'bg.log');
    writeMcpConfig(dataDir, { bg: { command: process.execPath, args: [fixture, '--log', log], sandbox: false } });
    const cli = spawn(process.execPath, [cliBin, 'tools', 'call', 'bg.wait', '--args', '{}', '--approve', 'all', '--data-dir', dataDir, '--workspace', tempDir()], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
    const lines = await until('the call reached the server', () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n') : []), (read) => read.includes('call wait'), 60_000);
    const pids = lines.flatMap((line) => (/^(server|child) \d+$/.test(line) ? [Number(line.split(' ')[1])] : []));
    onTestFinished(() => {
      for (const pid of pids) if (running(pid)) process.kill(pid, 'SIGKILL');
    });
    expect(pids).toHaveLength(2);
    cli.kill('SIGINT');
    expect(await exited).toBe(130);
    for (const pid of pids) expect(running(pid)).toBe(false);
  }, 90_000);
});
