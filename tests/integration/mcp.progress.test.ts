import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { ToolActivity } from '../../src/shared/domain/tool-call';
import { chaosServer, MemorySecretStore, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const CANARY = 'canary-progress-secret-7d21';

describe('a long MCP call', () => {
  it('is announced when it runs and passes its progress on to the window, throttled, with no secret in its messages', async () => {
    const dataDir = tempDir();
    const secrets = new MemorySecretStore();
    await secrets.set('CHAOS_TOKEN', CANARY);
    writeMcpConfig(dataDir, { chaos: { command: process.execPath, args: [chaosServer], sandbox: false, env: { CHAOS_TOKEN: 'secret:CHAOS_TOKEN' } } });
    const { runtime, events } = startTestRuntime({ dataDir, secretStore: secrets, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();

    // 40 reports 5 ms apart (200 ms): the window gets a few, not 40. (The SDK may drop the very last one, which
    // arrives just before the result: the result ends the running call's display anyway.)
    const { record } = await runtime.callTool('chaos.progress', { steps: 40, everyMs: 5, echoEnv: 'CHAOS_TOKEN' });
    expect(record.status).toBe('succeeded');
    const activity = events.filter((e) => e.channel === 'tool.activity').map((e) => e.payload as ToolActivity);
    expect(activity[0]).toMatchObject({ callId: record.id, toolName: 'chaos.progress', progress: null });
    const reports = activity.slice(1).map((a) => a.progress!);
    expect(reports.length).toBeGreaterThanOrEqual(1);
    expect(reports.length).toBeLessThan(20);
    for (const report of reports) expect(report).toEqual({ progress: expect.any(Number), total: 40, message: `step ${report.progress} [redacted]` });
    expect(reports.map((r) => r.progress)).toEqual([...reports.map((r) => r.progress)].sort((a, b) => a - b));
    expect(JSON.stringify(activity)).not.toContain(CANARY);
  }, 60_000);
});
