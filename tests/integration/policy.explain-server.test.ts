import { describe, expect, it } from 'vitest';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { RecordingGate } from '../helpers/recording-gate';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

describe('policy explain for an MCP server’s tool', () => {
  it('says what a real call gets: a server without an OS sandbox asks on every call', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { bare: { command: process.execPath, args: [chaosServer], sandbox: false } });
    const gate = new RecordingGate();
    const { runtime } = startTestRuntime({ dataDir, approvalGate: gate });
    await runtime.mcp.settled();

    const explained = await runtime.handlers['policy.explain']({ tool: 'bare.echo', arguments: { message: 'x' } });
    expect(explained.decision).toMatchObject({ effect: 'ask', ruleId: 'default.unsandboxed-server' });
    const called = await runtime.callTool('bare.echo', { message: 'x' });
    expect(called.record.decision).toMatchObject({ effect: explained.decision.effect, ruleId: explained.decision.ruleId });
    expect(gate.asked).toHaveLength(1);
  });
});
