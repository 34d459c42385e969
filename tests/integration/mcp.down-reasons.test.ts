import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const DOCKER_DOWN = 'docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';

describe('why a server is down, as a call to it says', () => {
  it("a server that exited quotes the line of its output that says why, not only the exit code", async () => {
    const dataDir = tempDir();
    // As `docker run` says it with no daemon: the reason, then a pointer to its help, then exit code 125.
    const script = `process.stderr.write(${JSON.stringify(`${DOCKER_DOWN}\nSee 'docker run --help'.\n`)}); process.exitCode = 125;`;
    writeMcpConfig(dataDir, { dockerish: { command: process.execPath, args: ['-e', script], sandbox: false } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await until('dockerish never failed', () => runtime.mcp.status()[0], (status) => status?.state === 'failed');

    expect(runtime.mcp.status()[0]?.error).toBe(`it exited with code 125 after writing "${DOCKER_DOWN}"`);
    const { record } = await runtime.callTool('dockerish.echo', { message: 'x' });
    expect(record.error?.message).toBe(`The dockerish MCP server is not running (it exited with code 125 after writing "${DOCKER_DOWN}"), so dockerish.echo cannot be used now; the Tools & servers page shows its state.`);
    await runtime.dispose();
  }, 30_000);

  it('a call cut short because the person turned its server off says so, without the server\'s startup output', async () => {
    const dataDir = tempDir();
    const log = join(dataDir, 'chaos.log');
    writeMcpConfig(dataDir, { chaos: { command: process.execPath, args: [chaosServer, '--stderr-lines', '2', '--log', log], sandbox: false, timeoutMs: 20_000 } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();

    const hanging = runtime.callTool('chaos.hang', {});
    // Turned off once the call runs on the server, not after a guess at how long it takes to get there.
    await until('the server never got the call', () => (existsSync(log) ? readFileSync(log, 'utf8') : ''), (text) => text.includes('call hang'));
    expect(await runtime.handlers['tools.controlServer']({ name: 'chaos', action: 'disable' })).toEqual({ done: true, problems: [] });
    const { record } = await hanging;
    expect(record.error?.message).toBe('The chaos MCP server was turned off during the call to chaos.hang, which did not finish.');
    await runtime.dispose();
  }, 30_000);
});
