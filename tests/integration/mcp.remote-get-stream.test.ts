import { afterEach, describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { writeMcpConfig } from '../helpers/mcp';
import { type RecordingHttpMcpServer, startRecordingHttpMcpServer } from '../helpers/recording-http-mcp-server';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

let remote: RecordingHttpMcpServer | undefined;
afterEach(async () => {
  await remote?.close();
  remote = undefined;
});

async function connected(server: RecordingHttpMcpServer): Promise<Runtime> {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, { remote: { url: server.url, maxRetries: 0 } });
  const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
  await until('the server never connected', () => runtime.listTools(), (tools) => tools.some((t) => t.name === 'remote.slow'));
  await until('its GET stream never opened', () => server.getStreams(), (count) => count === 1);
  return runtime;
}

describe("a Streamable HTTP server's GET event stream that breaks", () => {
  it('is resumed on the same session, and the calls under way go on', async () => {
    remote = await startRecordingHttpMcpServer();
    const runtime = await connected(remote);
    const slow = runtime.callTool('remote.slow', { ms: 2_500 });
    await until('the call never reached the server', () => remote!.received, (received) => received.includes('tools/call slow'));
    // A proxy cuts the long-lived stream; the SDK opens it again (after a second) with the last event's id.
    remote.breakGetStreams();
    await until('the GET stream was never opened again', () => remote!.getStreams(), (count) => count === 2);
    expect((await slow).record).toMatchObject({ status: 'succeeded' });
    expect(runtime.mcp.status()[0]).toMatchObject({ state: 'connected', restarts: 0, error: null });
    expect(remote.opened).toHaveLength(1);
    // Notifications on it still arrive: a tool sent over it is still heard.
    const { record } = await runtime.callTool('remote.notify', { count: 3, bytes: 10 });
    expect(record.status).toBe('succeeded');
  }, 30_000);

  it('and cannot be opened again, since the server is gone, is said as a connection that closed, not as malformed JSON-RPC', async () => {
    remote = await startRecordingHttpMcpServer();
    const runtime = await connected(remote);
    await remote.close();
    const down = await until('the drop was never seen', () => runtime.mcp.status()[0], (s) => s?.state === 'failed');
    expect(down?.error).toMatch(/^its connection closed \(it could not be reached at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\)$/);
  }, 30_000);

  it('because the server went away fails a call made meanwhile as a server that could not be reached, not as "fetch failed"', async () => {
    remote = await startRecordingHttpMcpServer();
    const runtime = await connected(remote);
    await remote.close();
    // Before the SDK's try at opening the stream again (a second later) finds the server gone.
    const { record } = await runtime.callTool('remote.shout', { message: 'anyone?' });
    expect(record.error?.message).toMatch(
      /^The remote MCP server stopped during the call to remote\.shout: its connection closed \(it could not be reached at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\)\. Portcullis reconnects to it automatically with backoff\.$/,
    );
  }, 30_000);

  it('and finds its session forgotten (the server restarted) starts a new one, said as such', async () => {
    remote = await startRecordingHttpMcpServer();
    const runtime = await connected(remote);
    remote.forgetSessions();
    remote.breakGetStreams();
    const down = await until('the ended session was never seen', () => runtime.mcp.status()[0], (s) => s?.state === 'failed');
    expect(down?.error).toBe('it no longer knew its session (HTTP 404)');
    await until('never connected again', () => runtime.mcp.status()[0], (s) => s?.state === 'connected');
    expect(remote.opened).toHaveLength(2);
    expect((await runtime.callTool('remote.shout', { message: 'again' })).record.status).toBe('succeeded');
  }, 30_000);
});
