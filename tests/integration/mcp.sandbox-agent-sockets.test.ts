import { SandboxManager } from '@anthropic-ai/sandbox-runtime';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');
const AGENT_CANARY = 'canary-ssh-agent-identities-6c0d';
const GPG_CANARY = 'canary-gpg-agent-OK-Pleased-to-meet-you';

/** A stand-in for an agent: answers whoever connects to its Unix socket at `path`. */
async function listen(path: string, greeting: string): Promise<void> {
  const server = createServer((socket) => socket.end(greeting));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });
  onTestFinished(() => new Promise<void>((done) => server.close(() => done())));
}

/** Sets an environment variable of this process (Portcullis') for the test. */
function setEnv(name: string, value: string): void {
  const saved = process.env[name];
  process.env[name] = value;
  onTestFinished(() => {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  });
}

/** An SSH agent where OpenSSH puts one (`/tmp/ssh-XXXX/agent.N`), named by SSH_AUTH_SOCK, and GPG's in the session's runtime folder. */
async function agents(): Promise<{ ssh: string; gpg: string }> {
  const folder = mkdtempSync('/tmp/ssh-');
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
  const ssh = join(folder, `agent.${process.pid}`);
  await listen(ssh, AGENT_CANARY);
  setEnv('SSH_AUTH_SOCK', ssh);
  const runtime = tempDir('portcullis-run-user-');
  mkdirSync(join(runtime, 'gnupg'));
  const gpg = join(runtime, 'gnupg', 'S.gpg-agent');
  await listen(gpg, GPG_CANARY);
  setEnv('XDG_RUNTIME_DIR', runtime);
  return { ssh, gpg };
}

/**
 * A machine where sandbox-runtime's seccomp helper is missing: it says so among its warnings, and nothing refuses a
 * sandboxed process a Unix socket.
 */
function withoutSeccomp(): void {
  const initialize = SandboxManager.initialize;
  vi.spyOn(SandboxManager, 'checkDependencies').mockReturnValue({ errors: [], warnings: ['seccomp not available - unix socket access not restricted'] });
  vi.spyOn(SandboxManager, 'initialize').mockImplementation((config, ...rest) => initialize({ ...config, network: { ...config.network, allowAllUnixSockets: true } }, ...rest));
  onTestFinished(() => {
    vi.restoreAllMocks();
  });
}

function start(workspace?: string) {
  const dataDir = tempDir();
  const server = { command: process.execPath, args: [escapeServer], maxRetries: 0, timeoutMs: 30_000 };
  writeMcpConfig(dataDir, {
    jailed: { ...server, sandbox: {} },
    signer: { ...server, sandbox: { sshAgent: true } }, // the person gave this one their SSH agent
    loose: { ...server, sandbox: false }, // the control: the agent is there to reach
    everything: { command: mcpBin('everything') },
  });
  const { runtime } = startTestRuntime({ dataDir, workspace: workspace ?? join(dataDir, 'workspace'), approvalGate: new FixedApprovalGate('all') });
  onTestFinished(() => runtime.dispose());
  return runtime;
}

describe.runIf(process.platform === 'linux')("local agents' sockets under the OS sandbox", () => {
  it("are out of a sandboxed server's reach without the seccomp filter; one the person gave the SSH agent uses it, and others keep working", async () => {
    const { ssh, gpg } = await agents();
    withoutSeccomp();
    const runtime = start();
    await runtime.mcp.settled();
    for (const name of ['jailed', 'signer']) {
      const status = runtime.mcp.status().find((s) => s.name === name)!;
      expect(status, `${name}: ${status.error ?? ''} ${status.stderrTail}`).toMatchObject({ state: 'connected', sandboxed: true });
    }
    const call = async (tool: string, args: Record<string, string>) => resultText((await runtime.callTool(tool, args)).record.result);

    expect(await call('loose.unix_socket', { path: ssh })).toBe(`ALLOWED ${AGENT_CANARY}`);
    expect(await call('loose.unix_socket', { path: gpg })).toBe(`ALLOWED ${GPG_CANARY}`);
    const reached = await call('jailed.unix_socket', { path: ssh });
    expect(reached, 'a sandboxed server asked the SSH agent to sign').toMatch(/^BLOCKED (ENOENT|ECONNREFUSED|EACCES)/);
    expect(reached).not.toContain(AGENT_CANARY);
    expect(await call('jailed.unix_socket', { path: gpg }), 'a sandboxed server reached the GPG agent').toMatch(/^BLOCKED/);
    expect(await call('jailed.env_var', { name: 'SSH_AUTH_SOCK' })).toBe('(unset)');

    expect(await call('signer.unix_socket', { path: ssh })).toBe(`ALLOWED ${AGENT_CANARY}`);
    expect(await call('signer.env_var', { name: 'SSH_AUTH_SOCK' })).toBe(ssh);
    expect(runtime.mcp.status().find((s) => s.name === 'signer')!.sandboxGrants?.sshAgent).toBe(true);
    expect(runtime.mcp.status().find((s) => s.name === 'jailed')!.sandboxGrants?.sshAgent).toBeUndefined();
    expect(await call('signer.unix_socket', { path: gpg })).toMatch(/^BLOCKED/); // the SSH agent alone
    expect(runtime.mcp.status().find((s) => s.name === 'signer')!.sandboxNote ?? '').not.toContain('SSH agent');

    expect((await runtime.callTool('everything.echo', { message: 'ok' })).record.status).toBe('succeeded');
    expect(await call('jailed.echo', {})).toBe('still alive');
  }, 60_000);

  it("keeps systemd's user manager, the accessibility bus, the microphone and podman's logins out of reach where the session's runtime folder holds the workspace and is not hidden whole", async () => {
    const runtimeFolder = tempDir('portcullis-run-user-');
    setEnv('XDG_RUNTIME_DIR', runtimeFolder);
    const workspace = join(runtimeFolder, 'gvfs', 'smb-share=nas', 'project'); // a share gvfs mounted
    mkdirSync(workspace, { recursive: true });
    // Besides the usual ones, an app's own agent no list names.
    const sockets = ['systemd/private', 'at-spi/bus', 'pipewire-0', 'pulse/native', 'some-app/agent.sock', 'gvfs/other-share.sock'].map((name) => join(runtimeFolder, name));
    for (const socket of sockets) {
      mkdirSync(dirname(socket), { recursive: true });
      await listen(socket, `canary-${basename(socket)}`);
    }
    writeFileSync(join(workspace, 'notes.md'), 'the workspace');
    mkdirSync(join(runtimeFolder, 'containers'));
    writeFileSync(join(runtimeFolder, 'containers', 'auth.json'), '{"auths":{"ghcr.io":{"auth":"canary-podman-login"}}}'); // podman login's
    withoutSeccomp();
    const runtime = start(workspace);
    await runtime.mcp.settled();
    const status = runtime.mcp.status().find((s) => s.name === 'jailed')!;
    expect(status, `${status.error ?? ''} ${status.stderrTail}`).toMatchObject({ state: 'connected', sandboxed: true });
    const call = async (tool: string, args: Record<string, string>) => resultText((await runtime.callTool(tool, args)).record.result);
    for (const socket of sockets) {
      expect(await call('loose.unix_socket', { path: socket })).toBe(`ALLOWED canary-${basename(socket)}`);
      expect(await call('jailed.unix_socket', { path: socket }), `a sandboxed server reached ${socket}`).toMatch(/^BLOCKED/);
    }
    expect(await call('jailed.read_path', { path: join(runtimeFolder, 'containers', 'auth.json') })).toMatch(/^BLOCKED/);
    expect(await call('jailed.read_path', { path: join(workspace, 'notes.md') })).toBe('ALLOWED the workspace');
  }, 60_000);

  it("says on the row of a server given the SSH agent that it cannot use it where the seccomp filter refuses every Unix socket", async () => {
    const { ssh } = await agents();
    expect(SandboxManager.checkDependencies().warnings.filter((w) => /seccomp/i.test(w))).toEqual([]); // the filter runs here
    const runtime = start();
    await runtime.mcp.settled();
    const signer = runtime.mcp.status().find((s) => s.name === 'signer')!;
    expect(signer, `${signer.error ?? ''} ${signer.stderrTail}`).toMatchObject({ state: 'connected', sandboxed: true });
    expect(signer.sandboxGrants?.sshAgent).toBeUndefined(); // not said to have what it cannot use
    expect(signer.sandboxNote).toContain("Its SSH agent grant gives it nothing here: this sandbox refuses every Unix socket (sandbox-runtime's seccomp filter)");
    expect(resultText((await runtime.callTool('jailed.unix_socket', { path: ssh })).record.result)).toMatch(/^BLOCKED/);
  }, 60_000);
});
