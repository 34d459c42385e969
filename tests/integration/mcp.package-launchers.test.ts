import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

/** The fixture server packed as an npm tarball: `npx -y --package <tarball> <bin>` installs it with no registry. */
function packFixture(): string {
  const into = tempDir();
  execFileSync('npm', ['pack', join(repoRoot, 'tests', 'fixtures', 'mcp', 'npx-package'), '--pack-destination', into, '--silent'], { stdio: 'ignore' });
  return join(into, readdirSync(into).find((name) => name.endsWith('.tgz'))!);
}

describe('servers started by a package launcher (npx), as pasted from Claude Desktop', () => {
  it('are fetched into a cache of their own by a step that runs no package code, then run with no network', async () => {
    const tarball = packFixture();
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { fromnpx: { command: 'npx', args: ['-y', '--package', tarball, 'portcullis-fixture-npx-server'] } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    // npm fetches the package, then starts it: on a loaded machine past settled()'s 30 s, which then returns with the
    // server still starting. Waited for within the test's own time instead.
    const status = await until('fromnpx still starting', () => runtime.mcp.status().find((s) => s.name === 'fromnpx')!, (s) => s.state !== 'starting', 80_000);
    expect(status, `${status.error}\n${status.stderrTail}`).toMatchObject({ state: 'connected', sandboxed: true, toolCount: 1 });
    const call = (await runtime.callTool('fromnpx.echo', { message: 'hello' })).record;
    expect(resultText(call.result)).toBe('npx says: hello');
    // Installed where only this server writes, inside the data folder that no server can read.
    expect(existsSync(join(dataDir, 'cache', 'mcp-servers', 'fromnpx', 'npm', '_npx'))).toBe(true);
  }, 90_000);

  it("the fetch step runs nothing the server left in its cache: a node or sh on the install's PATH would run with the npmrc's tokens and the registry's network", async () => {
    const tarball = packFixture();
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { fromnpx: { command: 'npx', args: ['-y', '--package', tarball, 'portcullis-fixture-npx-server'] } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    const connected = () => until('fromnpx connected', () => runtime.mcp.status().find((s) => s.name === 'fromnpx')!, (s) => s.state !== 'starting', 80_000);
    const first = await connected();
    expect(first, `${first.error}\n${first.stderrTail}`).toMatchObject({ state: 'connected' });
    // What the server may write (its own cache), as it would: programs named as the fetch step's command and shell,
    // which note when they run in the fetch step (the server's own run is offline) and then do what was asked.
    const cache = join(dataDir, 'cache', 'mcp-servers', 'fromnpx');
    const npx = join(cache, 'npm', '_npx');
    const bin = join(npx, readdirSync(npx)[0]!, 'node_modules', '.bin');
    const marker = join(cache, 'planted-ran');
    for (const [name, real] of [['node', process.execPath], ['sh', '/bin/sh']]) {
      writeFileSync(join(bin, name!), `#!/bin/sh\n[ "$npm_config_offline" = true ] || echo "${name} in the fetch step" >> '${marker}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    }
    await runtime.mcp.restart('fromnpx');
    const again = await connected();
    expect(again, `${again.error}\n${again.stderrTail}`).toMatchObject({ state: 'connected' });
    expect(existsSync(marker) ? readFileSync(marker, 'utf8') : '').toBe('');
    expect(resultText((await runtime.callTool('fromnpx.echo', { message: 'again' })).record.result)).toBe('npx says: again');
  }, 180_000);

  it("the fetch step does not take the .npmrc of the folder Portcullis runs in, which a server that writes the workspace could leave there", async () => {
    const tarball = packFixture();
    const dataDir = tempDir();
    const cache = join(dataDir, 'cache', 'mcp-servers', 'fromnpx');
    // `portcullis serve` started in a project folder; its .npmrc outranks the user's (`git`, `node-options`…). Seen
    // here by where npm would write its logs, a folder the fetch step may write.
    const project = tempDir();
    const logs = join(cache, 'logs-of-project-npmrc');
    writeFileSync(join(project, '.npmrc'), `logs-dir=${logs}\n`);
    const cwd = process.cwd();
    process.chdir(project);
    onTestFinished(() => process.chdir(cwd));
    // The server itself runs in a folder of its own: what it reads there is its own business, not the fetch step's.
    writeMcpConfig(dataDir, { fromnpx: { command: 'npx', args: ['-y', '--package', tarball, 'portcullis-fixture-npx-server'], cwd: tempDir() } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    const status = await until('fromnpx still starting', () => runtime.mcp.status().find((s) => s.name === 'fromnpx')!, (s) => s.state !== 'starting', 80_000);
    expect(status, `${status.error}\n${status.stderrTail}`).toMatchObject({ state: 'connected' });
    expect(existsSync(logs)).toBe(false);
  }, 90_000);

  it('a package that cannot be fetched keeps the server from starting, and the error says what npm said', async () => {
    const dataDir = tempDir();
    const missing = join(tempDir(), 'missing-server-1.0.0.tgz');
    writeMcpConfig(dataDir, { broken: { command: 'npx', args: ['-y', '--package', missing, 'missing-server'], maxRetries: 0 } });
    const { runtime } = startTestRuntime({ dataDir });
    // npm's failed fetch, waited for within the test's time (settled() gives up at 30 s).
    const status = await until('broken still starting', () => runtime.mcp.status().find((s) => s.name === 'broken')!, (s) => s.state !== 'starting', 50_000);
    expect(status.state).toBe('failed');
    expect(status.error).toContain(`Fetching the broken server's package (${missing}) from registry.npmjs.org failed: `);
    expect(status.error).toMatch(/ENOENT/);
    expect(status.sandboxed).toBeNull(); // it never launched: neither "sandboxed" nor "not sandboxed" would be true
  }, 60_000);

  it('get the extra CA certificates a TLS-intercepting proxy needs, and no other variable of the host', async () => {
    const saved = { ca: process.env.NODE_EXTRA_CA_CERTS, other: process.env.PORTCULLIS_TEST_TOKEN };
    process.env.NODE_EXTRA_CA_CERTS = '/etc/ssl/company-ca.pem';
    process.env.PORTCULLIS_TEST_TOKEN = 'canary-host-token-3f1a';
    onTestFinished(() => {
      for (const [name, value] of [['NODE_EXTRA_CA_CERTS', saved.ca], ['PORTCULLIS_TEST_TOKEN', saved.other]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { probe: { command: process.execPath, args: [join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs')] } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    const read = async (name: string) => resultText((await runtime.callTool('probe.env_var', { name })).record.result);
    expect(await read('NODE_EXTRA_CA_CERTS')).toBe('/etc/ssl/company-ca.pem');
    expect(await read('PORTCULLIS_TEST_TOKEN')).toBe('(unset)');
  }, 60_000);
});

describe('servers run as containers (docker run -i --rm <image>), as pasted from Claude Desktop', () => {
  it('start outside the OS sandbox, say that the container is their only isolation, and every tool asks', async () => {
    const dataDir = tempDir();
    const docker = join(repoRoot, 'tests', 'fixtures', 'mcp', 'fake-docker', 'docker');
    writeMcpConfig(dataDir, { github: { command: docker, args: ['run', '-i', '--rm', 'ghcr.io/github/github-mcp-server'], env: { FAKE_DOCKER_SERVER: mcpBin('everything') } } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('none') });
    await runtime.mcp.settled();
    const status = runtime.mcp.status().find((s) => s.name === 'github')!;
    expect(status, `${status.error}\n${status.stderrTail}`).toMatchObject({ state: 'connected', sandboxed: false });
    expect(status.sandboxNote).toMatch(/^Docker runs this server in a container: .*not Portcullis' sandbox, so every tool asks/);
    // echo is read-only, yet it asks: the policy's floor for a server outside the sandbox (answered "no" here).
    const record = (await runtime.callTool('github.echo', { message: 'hi' })).record;
    expect(record).toMatchObject({ status: 'denied', decision: { effect: 'ask' } });
  }, 60_000);
});
