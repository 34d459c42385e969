import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { writeMcpConfig } from '../helpers/mcp';
import { cliBin } from '../helpers/paths';
import { type RecordingHttpMcpServer, startRecordingHttpMcpServer } from '../helpers/recording-http-mcp-server';
import requireBuild from '../helpers/require-build';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const run = promisify(execFile);
let remote: RecordingHttpMcpServer | undefined;
afterEach(async () => {
  await remote?.close();
  remote = undefined;
});

async function connected(server: RecordingHttpMcpServer, dataDir = tempDir()): Promise<Runtime> {
  writeMcpConfig(dataDir, { remote: { url: server.url } });
  const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
  await until('the server never connected', () => runtime.listTools(), (tools) => tools.some((t) => t.name === 'remote.slow'));
  return runtime;
}

describe('a remote MCP server when Portcullis closes its connection', () => {
  it('is sent the DELETE that ends its session', async () => {
    remote = await startRecordingHttpMcpServer();
    const runtime = await connected(remote);
    expect((await runtime.callTool('remote.shout', { message: 'hi' })).record.status).toBe('succeeded');
    const [session] = remote.opened;
    await runtime.dispose();
    expect(remote.received.at(-1)).toBe(`DELETE ${session}`);
    expect(remote.open.size).toBe(0);
  });

  it('gets the cancel of a call stopped just before the close', async () => {
    remote = await startRecordingHttpMcpServer();
    const runtime = await connected(remote);
    const stop = new AbortController();
    const call = runtime.callTool('remote.slow', { ms: 10_000 }, stop.signal);
    await until('the call never reached the server', () => remote!.received, (received) => received.includes('tools/call slow'));
    stop.abort();
    await call;
    await runtime.dispose();
    expect(remote.received.slice(-2)).toEqual(['notifications/cancelled', `DELETE ${remote.opened[0]}`]);
  });

  it('that no longer answers does not hold the close up', async () => {
    remote = await startRecordingHttpMcpServer({ hang: ['notifications/cancelled', 'DELETE'] });
    const dataDir = tempDir();
    const runtime = await connected(remote, dataDir);
    const stop = new AbortController();
    const call = runtime.callTool('remote.slow', { ms: 10_000 }, stop.signal);
    await until('the call never reached the server', () => remote!.received, (received) => received.includes('tools/call slow'));
    stop.abort();
    await call;
    const startedAt = Date.now();
    await runtime.dispose();
    // Half a second for the cancel, half a second for the DELETE, then it is closed regardless.
    expect(Date.now() - startedAt).toBeLessThan(2_500);
    expect(remote.received).toContain(`DELETE ${remote.opened[0]}`);
    // Nobody is waiting on it to say so; the log notes it.
    expect(readFileSync(join(dataDir, 'logs', 'portcullis.log'), 'utf8')).toContain('"event":"mcp.session_end","server":"remote","msg":"The remote MCP server: its session was not ended within 500 ms"');
  });
});

describe('portcullis tools call on a remote server', () => {
  it('whose call times out tells the server to cancel it, as it says, and ends its session before it exits', async () => {
    requireBuild();
    remote = await startRecordingHttpMcpServer();
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { remote: { url: remote.url, timeoutMs: 1_000 } });
    const outcome = await run(process.execPath, [cliBin, 'tools', 'call', 'remote.slow', '--args', '{"ms":20000}', '--approve', 'all', '--json', '--data-dir', dataDir]).catch(
      (failed: { stdout: string }) => failed,
    );
    expect(JSON.parse(outcome.stdout.trim())).toMatchObject({ status: 'failed', error: { code: 'TOOL_TIMEOUT', message: expect.stringMatching(/the server was told to cancel it/) } });
    const [session] = remote.opened;
    expect(remote.received).toEqual(['initialize', 'notifications/initialized', 'tools/list', 'tools/call slow', 'notifications/cancelled', `DELETE ${session}`]);
    expect(remote.open.size).toBe(0);
  }, 60_000);
});
