import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { createMcpSandbox } from '../../src/core/sandbox/mcp-sandbox';
import { processCountLimitAvailable } from '../../src/core/sandbox/pids-cgroup';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');
const LIMIT = 32;
/** The fixture's bound: it stops by itself after this many children, so an uncapped run is still finite. */
const BOUND = 300;

/** Processes of the bomb: the fixture's children all run `sleep 3117`. */
function bombProcesses(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(join('/proc', entry, 'cmdline'), 'utf8').split('\0').join(' ').trim() === 'sleep 3117') found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

// RLIMIT_NPROC (the fallback) does not bind root, so only a writable pids cgroup can contain the bomb for root.
const uncontainable = process.platform !== 'linux' || (!processCountLimitAvailable() && process.getuid?.() === 0);
const title = uncontainable
  ? 'a fork bomb is capped (skipped: no writable pids cgroup and running as root, where RLIMIT_NPROC does not apply)'
  : `a fork bomb gets at most ${LIMIT} processes, the runtime keeps serving, and nothing of it outlives the server`;

describe('MCP servers under the OS sandbox: process count limit', () => {
  it.skipIf(uncontainable)(title, async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, {
      bomber: { command: process.execPath, args: [escapeServer], maxRetries: 0, timeoutMs: 30_000, sandbox: { maxProcesses: LIMIT } },
      everything: { command: mcpBin('everything') },
    });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    const bomber = runtime.mcp.status().find((s) => s.name === 'bomber')!;
    expect(bomber, bomber.error ?? '').toMatchObject({ state: 'connected', sandboxed: true });

    const record = (await runtime.callTool('bomber.fork_bomb', {})).record;
    if (record.status === 'succeeded') {
      const match = /^STARTED (\d+) (\S+)/.exec(resultText(record.result));
      expect(match, resultText(record.result)).not.toBeNull();
      const started = Number(match![1]);
      // Node's own threads and the sandbox's processes count too, so the children get fewer than the cap.
      expect(started).toBeLessThanOrEqual(LIMIT);
      expect(started).toBeLessThan(BOUND);
      expect(match![2]).toMatch(/EAGAIN|ENOMEM|EPERM/);
      console.info(`fork bomb under a cap of ${LIMIT}: started ${started} children, then ${match![2]}`);
    } else {
      // Node may also die when it cannot start a thread: then the call ends as a clear error naming the server.
      expect(record.error?.code).toBe('MCP_SERVER_UNAVAILABLE');
      expect(record.error?.message).toMatch(/The bomber MCP server stopped during the call to bomber\.fork_bomb/);
    }
    expect(bombProcesses().length).toBeLessThanOrEqual(LIMIT);

    // Another server still answers while the bomb's children sit there.
    expect((await runtime.callTool('everything.echo', { message: 'ok' })).record.status).toBe('succeeded');

    await runtime.dispose();
    expect(bombProcesses()).toEqual([]);
    const v1 = '/sys/fs/cgroup/pids/portcullis'; // where this machine's CI puts them; the cgroup is gone too
    if (existsSync(v1)) expect(readdirSync(v1).filter((d) => d.startsWith('bomber-'))).toEqual([]);
  }, 60_000);

  it('where no pids cgroup is writable, the server still runs sandboxed and its note says the process limit is missing or approximate', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { bomber: { command: process.execPath, args: [escapeServer], maxRetries: 0, sandbox: { maxProcesses: LIMIT } } });
    const sandbox = createMcpSandbox({ workspace: join(dataDir, 'workspace'), dataDir, processLimit: () => null });
    onTestFinished(() => sandbox.dispose());
    const { runtime } = startTestRuntime({ dataDir, wrapMcpCommand: sandbox });
    await runtime.mcp.settled();
    const bomber = runtime.mcp.status().find((s) => s.name === 'bomber')!;
    expect(bomber, bomber.error ?? '').toMatchObject({ state: 'connected' });
    if (!bomber.sandboxed) return; // no OS sandbox on this machine: its own note says so
    const root = process.getuid?.() === 0;
    expect(bomber.sandboxNote).toMatch(root ? /^Process limit unavailable: .*RLIMIT_NPROC does not bind root/ : /^Process limit approximate: .*32 processes/);
  }, 60_000);
});
