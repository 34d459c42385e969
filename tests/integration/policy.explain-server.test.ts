import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { RecordingGate } from '../helpers/recording-gate';
import { nextEvent, startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

describe('an MCP server’s tool that runs without an OS sandbox', () => {
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

  it('names the rule of the person\'s that it overrides, as the taint override does', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'policy.yaml'), 'version: 1\nrules:\n  - { id: allow.bare, effect: allow, reason: trusted, match: { server: bare } }\n');
    writeMcpConfig(dataDir, { bare: { command: process.execPath, args: [chaosServer], sandbox: false } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new RecordingGate() });
    await runtime.mcp.settled();
    const explained = await runtime.handlers['policy.explain']({ tool: 'bare.crash_mutating', arguments: {} });
    expect(explained.decision).toEqual({
      effect: 'ask',
      ruleId: 'default.unsandboxed-server',
      reason: 'bare.crash_mutating comes from the bare server, which runs without an OS sandbox, so it asks you first even though allow.bare would allow it.',
    });
  });

  it('offers no longer allowance for it: no rule is proposed, and "for this conversation" or "always" is taken as once', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { bare: { command: process.execPath, args: [chaosServer], sandbox: false } });
    const t = startTestRuntime({ dataDir });
    await t.runtime.mcp.settled();
    const call = async (choice: 'allow_conversation' | 'always_allow') => {
      const requested = nextEvent(t, 'approval.requested');
      const done = t.runtime.callTool('bare.echo', { message: choice });
      const request = await requested;
      expect(request.proposedRule).toBeUndefined();
      await t.runtime.handlers['approvals.decide']({ approvalId: request.id, choice });
      return (await done).record;
    };
    expect((await call('allow_conversation')).status).toBe('succeeded');
    expect((await call('always_allow')).status).toBe('succeeded'); // it asked again: the allowance did not hold
    expect((await t.runtime.handlers['policy.status']({})).userRules).toEqual([]);
  });
});
