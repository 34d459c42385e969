import { SandboxManager } from '@anthropic-ai/sandbox-runtime';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { pollUntil } from '../helpers/poll-until';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');

/**
 * The sandbox runtime's start can fail on a machine that has an OS sandbox (its proxy's helper late on a loaded
 * machine). That failure was kept for the process's life, and every server then ran on the host, unsandboxed.
 */
describe.runIf(process.platform === 'linux')('an OS sandbox that failed to start', () => {
  it('refuses the server rather than run it unsandboxed, and its restart tries the sandbox again', async () => {
    const failOnce = vi.spyOn(SandboxManager, 'initialize').mockRejectedValueOnce(new Error('the proxy did not start in time'));
    onTestFinished(() => failOnce.mockRestore());
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { jailed: { command: process.execPath, args: [escapeServer], timeoutMs: 30_000 } });
    const { runtime } = startTestRuntime({ dataDir, workspace: join(dataDir, 'workspace'), approvalGate: new FixedApprovalGate('all') });
    onTestFinished(() => runtime.dispose());
    await runtime.mcp.settled();

    const first = runtime.mcp.status().find((s) => s.name === 'jailed')!;
    expect(first.state).toBe('failed');
    expect(first.error).toContain('the OS sandbox failed to start (the proxy did not start in time), so it is not started rather than run without one');
    expect(runtime.listTools().some((tool) => tool.name === 'jailed.read_path')).toBe(false);

    // Restarted with backoff: the sandbox starts this time, and the server runs in it.
    const again = await pollUntil(async () => runtime.mcp.status().find((s) => s.name === 'jailed')!, (s) => s.state === 'connected');
    expect(again.sandboxed).toBe(true);
    expect(failOnce).toHaveBeenCalledTimes(2);
  }, 60_000);
});
