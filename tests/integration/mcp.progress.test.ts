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

    // 40 reports 5 ms apart (200 ms): the window gets a few, not 40.
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

  it('passes on its last progress too, when the server sends it with the answer (both read at once)', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { chaos: { command: process.execPath, args: [chaosServer], sandbox: false } });
    const { runtime, events } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    for (let run = 0; run < 3; run++) {
      const { record } = await runtime.callTool('chaos.progress', { steps: 3, everyMs: 1, withAnswer: true });
      expect(record.status).toBe('succeeded');
      const reports = events.filter((e) => e.channel === 'tool.activity' && (e.payload as ToolActivity).callId === record.id).map((e) => (e.payload as ToolActivity).progress);
      // The SDK takes the answer at once and the notification read with it a microtask later: "3 of 3" was lost.
      expect(reports.at(-1)).toEqual({ progress: 3, total: 3, message: 'step 3' });
    }
  }, 60_000);
});
