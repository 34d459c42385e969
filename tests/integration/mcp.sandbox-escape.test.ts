import Database from 'better-sqlite3';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');
const CANARY = 'canary-ssh-key-5e0b77';
const EXPORT_CANARY = 'canary-exported-conversation-91c4';
const BASHRC_RAN = 'bashrc-ran-inside-the-sandbox';
const DAEMON_CANARY = 'canary-daemon-greeting-3f1a';
const OTHER_APP_CANARY = 'canary-cursor-token-7d2e';

// A fake home with a canary "SSH key", so reading ~/.ssh is tested without touching the real one.
let home = '';
beforeAll(() => {
  home = join(tmpdir(), `portcullis-home-${process.pid}`);
  mkdirSync(join(home, '.ssh'), { recursive: true });
  writeFileSync(join(home, '.ssh', 'id_canary'), CANARY);
  // A shell startup file that announces itself, as pyenv's or nvm's lines in a real ~/.bashrc would.
  writeFileSync(join(home, '.bashrc'), `echo "${BASHRC_RAN}" >&2\n`);
  // Another MCP host's server list, its token written out as people paste it.
  for (const file of [join(home, '.cursor', 'mcp.json'), join(home, '.config', 'Claude', 'claude_desktop_config.json')]) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify({ mcpServers: { acme: { command: 'acme-mcp', env: { ACME_CREDENTIAL: OTHER_APP_CANARY } } } }));
  }
  vi.stubEnv('HOME', home);
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

/** A stand-in for a local daemon: greets whoever connects to its Unix socket at `path`. */
function listenUnixSocket(path: string, greeting: string): Promise<{ path: string; close(): Promise<void> }> {
  const server = createServer((socket) => socket.end(greeting));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve({ path, close: () => new Promise((done) => server.close(() => done())) }));
  });
}

function start(dataDir: string, outside: string, options: { workspace?: string; moreServers?: Record<string, unknown> } = {}) {
  const workspace = options.workspace ?? join(dataDir, 'workspace');
  const server = { command: process.execPath, args: [escapeServer], maxRetries: 0, timeoutMs: 30_000 };
  writeMcpConfig(dataDir, {
    jailed: { ...server, sandbox: { allowWrite: ['granted'], memoryMb: 2_048, cpuSeconds: 3 } },
    loose: { ...server, sandbox: false }, // the control: the same attempts without the sandbox
    everything: { command: mcpBin('everything') },
    ...options.moreServers,
  });
  mkdirSync(join(workspace, 'granted'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  const { runtime } = startTestRuntime({ dataDir, workspace, approvalGate: new FixedApprovalGate('all') });
  return runtime;
}

async function call(runtime: Runtime, tool: string, args: Record<string, unknown> = {}) {
  return (await runtime.callTool(tool, args)).record;
}

/** Both calls succeed; when one does not (seen once under load, cause unknown), its error and its server's row say why. */
async function stillServing(runtime: Runtime): Promise<void> {
  const echo = await call(runtime, 'everything.echo', { message: 'ok' });
  expect(echo.status, JSON.stringify({ error: echo.error, server: runtime.mcp.status().find((s) => s.name === 'everything') })).toBe('succeeded');
  const list = await call(runtime, 'fs.list', {});
  expect(list.status, JSON.stringify(list.error)).toBe('succeeded');
}

describe('MCP servers under the OS sandbox: escape attempts are contained', () => {
  it('cannot read credentials, write outside its grant or reach the network; the unsandboxed control can', async () => {
    const dataDir = tempDir();
    const outside = join(tempDir(), 'outside');
    const runtime = start(dataDir, outside);
    await runtime.mcp.settled();
    const jailed = runtime.mcp.status().find((s) => s.name === 'jailed')!;
    expect(jailed, jailed.error ?? '').toMatchObject({ state: 'connected', sandboxed: true });

    const ssh = resultText((await call(runtime, 'jailed.read_ssh')).result);
    expect(ssh).toMatch(/^BLOCKED/);
    expect(ssh).not.toContain(CANARY);
    expect(resultText((await call(runtime, 'loose.read_ssh')).result)).toContain(CANARY); // the canary was there to steal

    const shadow = resultText((await call(runtime, 'jailed.read_shadow')).result);
    expect(shadow).toMatch(/^BLOCKED/);

    // Other MCP hosts' configs hold their servers' tokens as written: no server of Portcullis' reads them.
    for (const file of [join(home, '.cursor', 'mcp.json'), join(home, '.config', 'Claude', 'claude_desktop_config.json')]) {
      const seen = resultText((await call(runtime, 'jailed.read_path', { path: file })).result);
      expect(seen, file).toMatch(/^BLOCKED/);
      expect(seen).not.toContain(OTHER_APP_CANARY);
      expect(resultText((await call(runtime, 'loose.read_path', { path: file })).result)).toContain(OTHER_APP_CANARY);
    }

    const planted = join(outside, 'planted.txt');
    expect(resultText((await call(runtime, 'jailed.write_outside', { path: planted })).result)).toMatch(/^BLOCKED (EROFS|EACCES|EPERM|ENOENT)/);
    expect(existsSync(planted)).toBe(false);
    const granted = join(dataDir, 'workspace', 'granted', 'ok.txt');
    expect(resultText((await call(runtime, 'jailed.write_granted', { path: granted })).result)).toMatch(/^ALLOWED/);
    expect(existsSync(granted)).toBe(true);
    const workspaceRoot = join(dataDir, 'workspace', 'not-granted.txt');
    expect(resultText((await call(runtime, 'jailed.write_outside', { path: workspaceRoot })).result)).toMatch(/^BLOCKED/);

    expect(resultText((await call(runtime, 'jailed.network')).result)).toMatch(/^BLOCKED/);
    // The proxy lets whoever shows a launch's credentials reach that launch's domains: never said back to the model.
    const proxyUrl = resultText((await call(runtime, 'jailed.env_var', { name: 'HTTPS_PROXY' })).result);
    expect(proxyUrl).toMatch(/^http:\/\/\[redacted\]:\[(redacted|REDACTED)\]@localhost:\d+$/);
    for (const name of ['CLOUDSDK_PROXY_USERNAME', 'CLOUDSDK_PROXY_PASSWORD']) {
      expect(resultText((await call(runtime, 'jailed.env_var', { name })).result), name).toBe('[redacted]');
    }
    expect(resultText((await call(runtime, 'jailed.env_var', { name: 'GIT_SSH_COMMAND' })).result)).toContain('proxyauth=[redacted]:[redacted]');
    // A local daemon's socket (an SSH agent, Docker, D-Bus) would be a way out without any network.
    const daemon = await listenUnixSocket(join(tempDir(), 'daemon.sock'), DAEMON_CANARY);
    try {
      const reached = resultText((await call(runtime, 'jailed.unix_socket', { path: daemon.path })).result);
      expect(reached).toMatch(/^BLOCKED/);
      expect(reached).not.toContain(DAEMON_CANARY);
      expect(resultText((await call(runtime, 'loose.unix_socket', { path: daemon.path })).result)).toBe(`ALLOWED ${DAEMON_CANARY}`);
    } finally {
      await daemon.close();
    }
    // Node's own fetch went through the sandbox's proxy (not around it, to a DNS lookup that fails): the host it
    // was refused is offered on the page, and a granted one would be reached.
    expect(runtime.mcp.status().find((s) => s.name === 'jailed')?.refusedHosts).toContain('example.com');
    // A real server's call that failed for it ("fetch failed", no host named) says which host its sandbox refused.
    const fetched = await call(runtime, 'everything.gzip-file-as-resource', { name: 'x.gz', data: 'https://downloads.example.org/x.txt' });
    expect(fetched.status).toBe('failed');
    expect(fetched.error?.message).toContain('(its sandbox refused downloads.example.org, which everything may not reach; "Allow" on the Tools & servers page grants it)');
    // Through the sandbox's proxy, as npm or curl go: refused, and the call's trace says what was refused.
    const viaProxy = await runtime.callTool('jailed.via_proxy', { name: 'api.example.org:443' });
    expect(resultText(viaProxy.record.result)).not.toBe('proxy answered 200');
    const sandboxSpan = (await runtime.handlers['traces.spans']({ traceId: viaProxy.traceId })).find((s) => s.name === 'sandbox jailed.via_proxy')!;
    expect(sandboxSpan.events).toEqual([
      expect.objectContaining({ name: 'sandbox.refused', attributes: { 'portcullis.sandbox.refusals': 'deny network-outbound api.example.org:443 (host is not on the allow list)' } }),
    ]);
    await stillServing(runtime);
  }, 60_000);

  it.each([
    ['the workspace inside the data folder (the default)', (base: string) => ({ dataDir: base, workspace: join(base, 'workspace') })],
    ['the data folder inside the workspace (a workspace set to the home folder)', (base: string) => ({ dataDir: join(base, '.portcullis'), workspace: base })],
  ])("cannot read or write Portcullis's data folder, with %s; the workspace stays readable", async (_layout, layout) => {
    const { dataDir, workspace } = layout(tempDir());
    mkdirSync(join(dataDir, 'exports'), { recursive: true });
    writeFileSync(join(dataDir, 'exports', 'portcullis-export.json'), EXPORT_CANARY);
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, 'notes.md'), 'notes the server may read');
    // A server granted the data folder itself does not start: it could rewrite its own config and policy.
    const greedy = { command: process.execPath, args: [escapeServer], maxRetries: 0, sandbox: { allowWrite: [dataDir] } };
    const runtime = start(dataDir, join(tempDir(), 'outside'), { workspace, moreServers: { greedy } });
    await runtime.mcp.settled();
    const jailed = runtime.mcp.status().find((s) => s.name === 'jailed')!;
    expect(jailed, jailed.error ?? '').toMatchObject({ state: 'connected', sandboxed: true });
    expect(runtime.mcp.status().find((s) => s.name === 'greedy')).toMatchObject({
      state: 'failed',
      error: expect.stringContaining(`lets the greedy server write ${dataDir}, inside Portcullis's data folder`),
    });
    expect((await call(runtime, 'everything.echo', { message: 'a span for traces.db' })).status).toBe('succeeded');

    for (const file of ['traces.db', 'portcullis.db', 'mcp.json', join('exports', 'portcullis-export.json'), join('logs', '.')]) {
      const seen = resultText((await call(runtime, 'jailed.read_path', { path: join(dataDir, file) })).result);
      expect(seen, file).toMatch(/^BLOCKED/);
      expect(seen).not.toContain(EXPORT_CANARY);
    }
    expect(resultText((await call(runtime, 'loose.read_path', { path: join(dataDir, 'exports', 'portcullis-export.json') })).result)).toContain(EXPORT_CANARY);
    expect(resultText((await call(runtime, 'loose.read_path', { path: join(dataDir, 'traces.db') })).result)).toContain('SQLite format 3');

    expect(resultText((await call(runtime, 'jailed.read_path', { path: join(workspace, 'notes.md') })).result)).toBe('ALLOWED notes the server may read');
    // Written inside the sandbox (at most into a throwaway tmpfs), never into the real data folder.
    for (const planted of [join(dataDir, 'policy.yaml'), join(dataDir, 'exports', 'planted.json')]) {
      await call(runtime, 'jailed.write_outside', { path: planted });
      expect(existsSync(planted), planted).toBe(false);
    }
    expect(resultText((await call(runtime, 'jailed.write_granted', { path: join(workspace, 'granted', 'ok.txt') })).result)).toMatch(/^ALLOWED/);
    await stillServing(runtime);
  }, 60_000);

  // The sandbox starts servers through `bash -c`, with a socket for stdin (libuv's pipes are socketpairs): bash
  // takes that for sshd and would run ~/.bashrc, twice, slowing every start and filling the stderr tail.
  it("does not run the person's ~/.bashrc on the way in", async () => {
    const runtime = start(tempDir(), join(tempDir(), 'outside'));
    await runtime.mcp.settled();
    const jailed = runtime.mcp.status().find((s) => s.name === 'jailed')!;
    expect(jailed, jailed.error ?? '').toMatchObject({ state: 'connected', sandboxed: true });
    expect(jailed.stderrTail).not.toContain(BASHRC_RAN);
  }, 60_000);

  it('a server that fails to start because its sandbox refused a domain says which one, and waits for the decision instead of restarting', async () => {
    const downloader = { command: process.execPath, args: [escapeServer, '--download-at-start'], maxRetries: 0 };
    const dataDir = tempDir();
    const runtime = start(dataDir, join(tempDir(), 'outside'), { moreServers: { downloader } });
    await runtime.mcp.settled();
    const status = await until('never failed', () => runtime.mcp.status().find((s) => s.name === 'downloader')!, (s) => s.state === 'failed');
    expect(status).toMatchObject({ state: 'failed', sandboxed: true, stderrTail: expect.stringContaining('could not download the server') });
    expect(status.error).toMatch(/its sandbox refused: .*downloads\.example\.org:443.*"allowedDomains"/);
    expect(status.error).toContain('It is not restarted until you decide: "Allow downloads.example.org" on the Tools & servers page starts it again with the grant');
    expect(status.refusedHosts).toEqual(['downloads.example.org']); // offered on the page as "Allow downloads.example.org"
    // Another start would only be refused again: it waits for the person, on no timer, where it was restarted with
    // backoff (0.5 s, 1 s, 2 s…) and failed each time until they clicked Allow.
    expect(status).toMatchObject({ waitingForDomains: ['downloads.example.org'], nextRestartAt: null, restarts: 0 });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(runtime.mcp.status().find((s) => s.name === 'downloader')).toMatchObject({ state: 'failed', restarts: 0, nextRestartAt: null, waitingForDomains: ['downloads.example.org'] });
    // A call meanwhile is told why, not that it is restarted with backoff.
    const refusedCall = (await runtime.callTool('downloader.echo', {})).record;
    expect(refusedCall.error?.message ?? '').not.toContain('automatically with backoff');

    // The person allows it: mcp.json grants the domain, and the server restarts with it.
    expect(await runtime.handlers['tools.allowDomain']({ name: 'downloader', domain: 'downloads.example.org' })).toEqual({ done: true, problems: [] });
    const granted = await until('never restarted with the grant', () => runtime.mcp.status().find((s) => s.name === 'downloader')!, (s) => s.sandboxGrants?.domains.includes('downloads.example.org') === true);
    expect(granted.refusedHosts).toEqual([]);
    expect(granted.waitingForDomains).toEqual([]);
    expect(await runtime.handlers['tools.allowDomain']({ name: 'loose', domain: 'example.org' })).toEqual({ done: false, problems: [expect.stringContaining('runs without a sandbox')] });
    // The grant is on the audit chain; the refused one is not (nothing changed).
    const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
    const audited = db.prepare("SELECT data_json FROM audit_log WHERE kind = 'sandbox.granted'").pluck().all() as string[];
    db.close();
    expect(audited.map((entry) => JSON.parse(entry))).toEqual([{ server: 'downloader', domain: 'downloads.example.org' }]);
    await stillServing(runtime);
  }, 60_000);

  it('a server waiting for the decision on a domain its sandbox refused, declined, stays stopped saying why', async () => {
    const downloader = { command: process.execPath, args: [escapeServer, '--download-at-start'], maxRetries: 0 };
    const runtime = start(tempDir(), join(tempDir(), 'outside'), { moreServers: { downloader } });
    await runtime.mcp.settled();
    await until('never waited', () => runtime.mcp.status().find((s) => s.name === 'downloader')!, (s) => s.waitingForDomains?.length === 1);
    expect(await runtime.handlers['tools.controlServer']({ name: 'downloader', action: 'decline' })).toEqual({ done: true, problems: [] });
    const declined = runtime.mcp.status().find((s) => s.name === 'downloader')!;
    expect(declined).toMatchObject({ state: 'failed', waitingForDomains: [], nextRestartAt: null, restarts: 0 });
    expect(declined.error).toMatch(/^You did not let it reach downloads\.example\.org, which it asked for as it started, so it stays stopped/);
    // Nothing waits now, and a server that never waited has nothing to decline.
    expect(await runtime.handlers['tools.controlServer']({ name: 'downloader', action: 'decline' })).toMatchObject({ done: false });
    expect(await runtime.handlers['tools.controlServer']({ name: 'jailed', action: 'decline' })).toMatchObject({ done: false });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(runtime.mcp.status().find((s) => s.name === 'downloader')).toMatchObject({ state: 'failed', restarts: 0 });
  }, 60_000);

  it('a memory bomb, a CPU spin and an attempt to kill the parent end as clear tool errors; the runtime keeps serving', async () => {
    const dataDir = tempDir();
    const runtime = start(dataDir, join(tempDir(), 'outside'));
    await runtime.mcp.settled();
    const connected = () => runtime.mcp.status().find((s) => s.name === 'jailed')!.state === 'connected';

    const memory = await call(runtime, 'jailed.memory_bomb');
    expect(memory.status).toBe('failed');
    expect(['TOOL_FAILED', 'MCP_SERVER_UNAVAILABLE']).toContain(memory.error?.code);
    expect(memory.error?.message).toMatch(/allocat|out of memory|heap|stopped during|unavailable/i);
    await stillServing(runtime);
    await waitFor(connected);

    const cpu = await call(runtime, 'jailed.cpu_spin');
    expect(cpu.error?.code).toBe('MCP_SERVER_UNAVAILABLE'); // killed by its CPU-time limit, well before the 30 s timeout
    expect(cpu.error?.message).toMatch(/The jailed MCP server stopped during the call to jailed\.cpu_spin/);
    expect(cpu.error?.message).toContain('it used up its CPU-time limit (SIGXCPU'); // and says which limit
    await stillServing(runtime);
    await waitFor(connected);

    const kill = await call(runtime, 'jailed.kill_parent');
    expect(kill.status === 'failed' || /^(BLOCKED|ALLOWED)/.test(resultText(kill.result))).toBe(true);
    await stillServing(runtime); // this process (the real parent) is alive: it is answering
    await waitFor(connected);
    expect(resultText((await call(runtime, 'jailed.echo')).result)).toBe('still alive');
  }, 90_000);
});

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the server to come back');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
