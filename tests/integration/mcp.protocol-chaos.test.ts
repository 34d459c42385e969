import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { mcpBin, protocolChaosServer, writeMcpConfig } from '../helpers/mcp';
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
  const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
  await runtime.mcp.settled();
  const logLines = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  return { runtime, dataDir, logLines };
}

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
});
