import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { processAlive } from '../../src/core/runtime/process-lock';
import type { ToolActivity } from '../../src/shared/domain/tool-call';
import { mcpBin, protocolChaosHttpServer, protocolChaosServer, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

/** The fixture server, as "bad", beside a well-behaved one ("everything"), in a real runtime. */
async function startBeside(args: string[] = [], extra: Record<string, unknown> = {}) {
  const dataDir = tempDir();
  const log = join(dataDir, 'bad.log');
  writeMcpConfig(dataDir, {
    bad: { command: process.execPath, args: [protocolChaosServer, '--log', log, ...args], sandbox: false, ...extra },
    everything: { command: mcpBin('everything'), sandbox: false },
  });
  const { runtime, events } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
  await runtime.mcp.settled();
  const logLines = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  return { runtime, dataDir, events, logLines };
}

/** The misbehaving server's connection, as its row shows it now. */
const badServer = (runtime: Runtime) => runtime.mcp.connections().find((connection) => connection.name === 'bad')!;

const othersStillAnswer = async (runtime: Runtime) => {
  const { record } = await runtime.callTool('everything.echo', { message: 'still here' });
  expect(record.status).toBe('succeeded');
};

describe('MCP servers that break the protocol itself are bounded, said, and leave other servers answering', () => {
  it('a storm of 2,000 tools/list_changed is met by a re-list or two, where each started its own tools/list', async () => {
    const { runtime, logLines } = await startBeside();
    const { record } = await runtime.callTool('bad.list_changed_storm', { count: 2_000 });
    expect(record.status).toBe('succeeded');
    await othersStillAnswer(runtime);
    // The storm is read whole before the call's answer; a re-list follows it, and at most one more after a rest.
    const lists = () => logLines().filter((line) => line === 'read tools/list').length;
    await until('the storm was met by a re-list', lists, (count) => count >= 2);
    const relist = await runtime.callTool('bad.echo', { message: 'after' });
    expect(relist.record.status).toBe('succeeded');
    expect(lists()).toBeLessThanOrEqual(3);
  });

  it('a flood of progress that each says the call is complete is passed on to the window throttled, and the hard wall still ends the call', async () => {
    const { runtime, events } = await startBeside([], { timeoutMs: 1_000, maxTotalTimeoutMs: 1_500 });
    const started = Date.now();
    const { record } = await runtime.callTool('bad.progress_flood', { complete: true });
    const elapsed = Date.now() - started;
    expect(record.error).toMatchObject({ code: 'TOOL_TIMEOUT', message: 'bad.progress_flood did not finish within its total limit of 1.5 s and was stopped.' });
    // One report each 100 ms at most (and the first), where every "n of n" went through: 20,000 in 2 s.
    const reports = events.filter((event) => event.channel === 'tool.activity' && (event.payload as ToolActivity).callId === record.id && (event.payload as ToolActivity).progress !== null);
    expect(reports.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    await othersStillAnswer(runtime);
  });

  it('a server that closes its stdout and runs on is stopped and said to have done so, where it stayed "connected" and each call waited out its timeout', async () => {
    const { runtime, logLines } = await startBeside(['--stdout-closes-after-list'], { timeoutMs: 60_000 });
    const pid = Number(/^started (\d+)$/.exec(logLines()[0]!)![1]);
    const said = await until(
      'it was said to have closed its output',
      () => badServer(runtime),
      (bad) => /closed its output/.test(`${bad.error} ${bad.previousError}`),
    );
    expect(`${said.error ?? said.previousError}`).toContain('it closed its output (stdout) but kept running, so nothing it answered could be read, and Portcullis stopped it');
    expect(processAlive(pid)).toBe(false);
    await othersStillAnswer(runtime);
  });

  it('a server that exits while a process it started holds its output open is said to have exited, where it stayed "connected" and the call waited out its timeout', async () => {
    const { runtime, logLines } = await startBeside(['--leaves-child'], { timeoutMs: 60_000, maxRetries: 0 });
    const child = Number(/^child (\d+)$/.exec(logLines().find((line) => line.startsWith('child '))!)![1]);
    onTestFinished(() => void process.kill(child, 'SIGKILL'));
    const { record } = await runtime.callTool('bad.exit', {});
    expect(record.error?.code).toBe('MCP_SERVER_UNAVAILABLE');
    expect(record.error?.message).toContain('it exited with code 3, leaving a process it started running that holds its output open');
    expect(record.error?.message).toContain('chaos: exiting mid-call');
    await othersStillAnswer(runtime);
  });

  it('a server that sends requests without end and reads none of the answers is stopped once 10,000 wait, where each was kept (a million: 2.9 GB)', async () => {
    const { runtime } = await startBeside([], { timeoutMs: 60_000, maxRetries: 0 });
    // Its flood ends with the call's answer, which may come before it is stopped or not.
    await runtime.callTool('bad.request_flood', { count: 30_000, deaf: true });
    await until(
      'it was said to have stopped reading',
      () => badServer(runtime),
      (bad) => `${bad.error} ${bad.previousError}`.includes('it stopped reading what Portcullis sent it (10,000 messages were waiting), so Portcullis stopped it'),
    );
    await othersStillAnswer(runtime);
  });

  it('a server that says its tools changed and then does not answer tools/list is restarted saying so, where it was said to send malformed JSON-RPC', async () => {
    const { runtime } = await startBeside(['--hang-relist'], { startupTimeoutMs: 1_000 });
    expect((await runtime.callTool('bad.list_changed_storm', { count: 1 })).record.status).toBe('succeeded');
    const bad = await until(
      'its re-list timed out',
      () => badServer(runtime),
      (connection) => connection.lastFailure !== null,
    );
    expect(bad.lastFailure).toBe('it did not answer tools/list within 1 s after it said its tools changed (its "startupTimeoutMs" in mcp.json gives a slow server longer)');
    await othersStillAnswer(runtime);
  });

  it('a server whose list of tools, listed again after it said they changed, is no list fails in those words and waits for Restart', async () => {
    const { runtime } = await startBeside(['--bad-relist']);
    expect((await runtime.callTool('bad.list_changed_storm', { count: 1 })).record.status).toBe('succeeded');
    const bad = await until('its re-list was refused', () => badServer(runtime), (connection) => connection.state === 'failed');
    expect(bad.error).toMatch(/^its answer to tools\/list holds no list of tools \("tools" is a string\)/);
    expect(bad.nextRestartAt).toBeNull();
    await othersStillAnswer(runtime);
  });

  it('notifications whose params break their schema (progress of "lots") are dropped and said in its output now and then, where the server was restarted for the first', async () => {
    const { runtime } = await startBeside();
    // 150 of them: said at the first, the tenth and the hundredth, not 150 times (100,000 took 17 s of Portcullis' time).
    expect((await runtime.callTool('bad.bad_notification', { count: 150 })).record.status).toBe('succeeded');
    const bad = await until(
      'the dropped notifications were said',
      () => badServer(runtime),
      (connection) => connection.lastOutput(50).includes('100 such so far'),
    );
    const said = bad.lastOutput(50).split('\n');
    expect(said).toHaveLength(3);
    expect(said[0]).toMatch(/^Portcullis dropped a notification of the server's that does not follow MCP \(\[ \{ "expected": "number", .*\)\.$/);
    expect(said[1]).toMatch(/; 10 such so far\.$/);
    expect(bad).toMatchObject({ state: 'connected', restarts: 0 });
    expect((await runtime.callTool('bad.echo', { message: 'still' })).record.status).toBe('succeeded');
  });

  it('a server whose list of tools is larger than one message may be fails once saying so, and waits for Restart, where it was restarted for ever', async () => {
    // Its 10 tools with 1 MB descriptions in both definition and schema: a page of 20 MB.
    const { runtime } = await startBeside(['--describe-mb', '1']);
    const bad = badServer(runtime);
    expect(bad).toMatchObject({ state: 'failed', nextRestartAt: null });
    expect(bad.error).toMatch(/^its answer as it started was larger than the 10 MB that one JSON-RPC message may have \(its list of tools, most likely\), so Portcullis did not read it;.* It is not restarted on its own/);
    await othersStillAnswer(runtime);
  });

  it('a server that answers initialize with an MCP version Portcullis does not speak is said so once, and not restarted for ever', async () => {
    const { runtime } = await startBeside(['--version', '1999-01-01']);
    const bad = badServer(runtime);
    expect(bad).toMatchObject({ state: 'failed', nextRestartAt: null });
    expect(bad.error).toMatch(/^it speaks MCP version "1999-01-01", which Portcullis does not \(it speaks 2025-11-25, .*\)/);
    await othersStillAnswer(runtime);
  });
});

describe('a remote (Streamable HTTP) server that breaks the protocol', () => {
  it('sending 2,000 requests at once on its event stream has them answered over a bounded number of connections, where each answer opened its own', async () => {
    const { runtime, said } = await startHttpServer();
    const { record } = await runtime.callTool('bad.request_flood', { count: 2_000 });
    expect(record.status).toBe('succeeded');
    await othersStillAnswer(runtime);
    await until('every request was answered', () => said, (lines) => lines.includes('answers 2000'), 60_000);
    const mostOpen = Math.max(...said.filter((line) => line.startsWith('open ')).map((line) => Number(line.split(' ')[1])));
    // 16 answers at once (33 connections in all: the pool keeps as many it has yet to reuse, and the event stream);
    // 2,000 or near it before.
    expect(mostOpen).toBeLessThanOrEqual(40);
    expect(badServer(runtime).state).toBe('connected');
  }, 90_000);

  it('holding its replies open while it sends 12,000 requests has its connection dropped once 10,000 answers wait, where each was kept', async () => {
    const { runtime } = await startHttpServer();
    await runtime.callTool('bad.request_flood', { count: 12_000, deaf: true });
    await until(
      'it was said to take none of the answers',
      () => badServer(runtime),
      (bad) => `${bad.error} ${bad.previousError}`.includes('it stopped taking what Portcullis sent it (10,000 answers to its requests were waiting), so Portcullis dropped its connection'),
      60_000,
    );
    await othersStillAnswer(runtime);
  }, 90_000);
});

/** The Streamable HTTP fixture server, as "bad", beside a well-behaved one, in a real runtime; `said`: what it printed. */
async function startHttpServer() {
  const server = spawn(process.execPath, [protocolChaosHttpServer], { stdio: ['pipe', 'pipe', 'inherit'] });
  onTestFinished(() => void server.stdin.end());
  const said: string[] = [];
  createInterface({ input: server.stdout }).on('line', (line) => said.push(line));
  const listening = await until('the server listens', () => said.find((line) => line.startsWith('listening ')), Boolean);
  const dataDir = tempDir();
  writeMcpConfig(dataDir, { bad: { url: `http://127.0.0.1:${listening!.split(' ')[1]}/mcp` }, everything: { command: mcpBin('everything'), sandbox: false } });
  const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
  await runtime.mcp.settled();
  return { runtime, said };
}
