import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { SECRET_SEARCH_LIMITS } from '../../src/core/sandbox/workspace-secrets';
import { writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { fakeHome } from '../helpers/fake-home';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');
const CANARY = 'canary-args-file-8d31';

/**
 * A big workspace hides hundreds of secret files, one mount each: past the kernel's 128 KiB per argument,
 * sandbox-runtime passes bubblewrap its mounts through a file. The finishing of the hidden folders (the data folder
 * and the private home read-only, write grants inside them writable) was made on the line alone and did not apply.
 */
/** This process's open unnamed files (O_TMPFILE, "/tmp/#123 (deleted)"), which sandbox-runtime passes mounts through. */
function unnamedFilesOpen(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return /\/#\d+ \(deleted\)$/.test(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      return false; // closed while listed
    }
  }).length;
}

describe.runIf(process.platform === 'linux')('MCP servers under the OS sandbox, with their mounts passed to bubblewrap through a file', () => {
  it('keep the data folder and the home folder hidden and read-only, and write their grant in the workspace to disk', async () => {
    const home = fakeHome();
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    mkdirSync(join(workspace, 'out'), { recursive: true });
    writeFileSync(join(workspace, 'notes.md'), 'workspace notes');
    const secrets: string[] = [];
    for (let i = 0; i < SECRET_SEARCH_LIMITS.found; i++) {
      const folder = join(workspace, `${'project-with-a-long-name-'.repeat(9)}${String(i).padStart(4, '0')}`);
      mkdirSync(folder);
      writeFileSync(join(folder, '.env'), `${CANARY} ${i}`);
      secrets.push(join(folder, '.env'));
    }
    // Each hidden file is a mount naming it: these alone are past what one argument may hold.
    expect(secrets.reduce((bytes, path) => bytes + Buffer.byteLength(path), 0)).toBeGreaterThan(128 * 1024);
    writeMcpConfig(dataDir, { jailed: { command: process.execPath, args: [escapeServer], maxRetries: 0, timeoutMs: 30_000, sandbox: { allowWrite: ['out'] } } });
    const { runtime } = startTestRuntime({ dataDir, workspace, approvalGate: new FixedApprovalGate('all') });
    onTestFinished(() => runtime.dispose());
    await runtime.mcp.settled();
    const status = runtime.mcp.status().find((s) => s.name === 'jailed')!;
    expect(status, `${status.error ?? ''} ${status.stderrTail}`).toMatchObject({ state: 'connected', sandboxed: true });
    expect(status.sandboxGrants?.workspaceSecrets.hidden).toHaveLength(SECRET_SEARCH_LIMITS.found);
    const attempt = async (tool: string, path: string) => resultText((await runtime.callTool(`jailed.${tool}`, { path })).record.result);

    expect(existsSync(join(dataDir, 'portcullis.db'))).toBe(true);
    const db = await attempt('read_path', join(dataDir, 'portcullis.db'));
    expect(db).toMatch(/^BLOCKED/);
    expect(db).not.toContain('SQLite format 3');
    for (const path of [secrets[0]!, secrets.at(-1)!]) expect(await attempt('read_path', path)).not.toContain(CANARY);
    expect(await attempt('read_path', join(workspace, 'notes.md'))).toBe('ALLOWED workspace notes');
    // Read-only, not a throwaway tmpfs that says a write succeeded: the data folder and the private home.
    expect(await attempt('write_outside', join(dataDir, 'policy.yaml.planted'))).toMatch(/^BLOCKED EROFS/);
    expect(await attempt('write_outside', join(home, 'planted.txt'))).toMatch(/^BLOCKED EROFS/);
    expect(existsSync(join(dataDir, 'policy.yaml.planted'))).toBe(false);
    // Its grant inside the workspace (inside the data folder) writes to disk.
    const granted = join(workspace, 'out', 'ok.txt');
    expect(await attempt('write_granted', granted)).toMatch(/^ALLOWED/);
    expect(readFileSync(granted, 'utf8')).toBe('planted by the escape server');

    // Each restart passes the mounts through a new file; the last launch's is closed when it ends.
    expect(unnamedFilesOpen()).toBe(1);
    for (let i = 0; i < 3; i++) {
      expect(await runtime.mcp.restart('jailed')).toBe(true);
      await runtime.mcp.settled();
    }
    expect(runtime.mcp.status().find((s) => s.name === 'jailed')?.state).toBe('connected');
    expect(unnamedFilesOpen()).toBe(1);
  }, 120_000);

  it('refuse a server whose sandbox cannot be made, saying why, where it ran on the host with nothing hidden from it', async () => {
    const home = fakeHome();
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.ssh', 'id_canary'), CANARY);
    const dataDir = tempDir();
    // Arguments the host takes (each under 128 KiB) that sandbox-runtime's one `bash -c` line cannot hold, even with
    // its mounts moved to a file.
    const long = Array.from({ length: 20 }, (_, i) => `--note=${String(i).repeat(10_000)}`);
    writeMcpConfig(dataDir, { wordy: { command: process.execPath, args: [escapeServer, ...long], maxRetries: 0, timeoutMs: 30_000 } });
    const { runtime } = startTestRuntime({ dataDir, workspace: join(dataDir, 'workspace'), approvalGate: new FixedApprovalGate('all') });
    onTestFinished(() => runtime.dispose());
    await runtime.mcp.settled();
    const status = runtime.mcp.status().find((s) => s.name === 'wordy')!;
    expect(status.state, `it ran: ${status.sandboxNote ?? ''}`).toBe('failed');
    // Why and what to change first, the sandbox's own words last, not wrapped in "it failed to start (…)".
    expect(status.error).toMatch(/^its OS sandbox could not be made, so it is not started rather than run without one\. Change its command or its sandbox in mcp\.json, or set "sandbox": false there .*; then Restart\. The sandbox said: .*too long/);
    expect(status.error).not.toContain('0000000000'); // its arguments are not repeated
    // Trying again would build the same sandbox: no countdown, no restarts, only an edit of mcp.json or Restart.
    expect(status.nextRestartAt).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(runtime.mcp.status().find((s) => s.name === 'wordy')).toMatchObject({ state: 'failed', restarts: 0, nextRestartAt: null });
    expect(await runtime.mcp.restart('wordy')).toBe(true);
    await runtime.mcp.settled();
    expect(runtime.mcp.status().find((s) => s.name === 'wordy')).toMatchObject({ state: 'failed', nextRestartAt: null, error: status.error });
  }, 60_000);
});
