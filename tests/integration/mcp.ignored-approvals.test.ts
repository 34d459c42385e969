import { describe, expect, it } from 'vitest';
import { chaosServer, mcpBin, writeMcpConfig } from '../helpers/mcp';
import { RecordingGate } from '../helpers/recording-gate';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

describe("another app's auto-approval lists in mcp.json", () => {
  it('are said on the server\'s row not to be used, and its tools still go through the policy', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, {
      // As pasted from Cline (autoApprove) and Roo Code (alwaysAllow), the second turned off there.
      cline: { command: process.execPath, args: [chaosServer], sandbox: false, autoApprove: ['echo', 'fail'] },
      roo: { command: mcpBin('everything'), alwaysAllow: ['echo'], disabled: true },
      plain: { command: mcpBin('everything'), autoApprove: [] },
    });
    const gate = new RecordingGate();
    const { runtime } = startTestRuntime({ dataDir, approvalGate: gate });
    await runtime.mcp.settled();

    const notes = Object.fromEntries((await runtime.handlers['tools.catalog']({})).servers.map((s) => [s.name, s.ignoredApprovals]));
    expect(notes).toEqual({
      cline: ['"autoApprove" (echo, fail) is another app\'s setting and is not used here: every call of these tools goes through your policy, which may ask you.'],
      roo: ['"alwaysAllow" (echo) is another app\'s setting and is not used here: every call of these tools goes through your policy, which may ask you.'],
      plain: [],
    });
    // Not used indeed: its server is unsandboxed, so the policy asks, autoApprove or not.
    expect((await runtime.callTool('cline.echo', { message: 'hi' })).record.status).toBe('succeeded');
    expect(gate.asked.map((request) => request.toolName)).toEqual(['cline.echo']);
    await runtime.dispose();
  }, 30_000);
});
