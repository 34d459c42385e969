import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

// The MCP client checks a tool's structuredContent against its outputSchema; both come from the server, so a
// backtracking pattern in the schema and an answer that sets it off held Portcullis' process (every window, every
// server) for minutes: 40 a's and a "!" against ^(a+)+$ is 2^40 steps.
describe("an MCP tool's output schema with a backtracking pattern", () => {
  for (const pattern of ['^(a+)+$', '^(\\p{L}+)+$', '^(a+)+\\1$']) {
    it(`fails the call that sets ${pattern} off at once, and the server and its neighbours keep answering`, async () => {
      const dataDir = tempDir();
      writeMcpConfig(dataDir, {
        evil: { command: process.execPath, args: [chaosServer, '--output-pattern', pattern], sandbox: false },
        other: { command: process.execPath, args: [chaosServer], sandbox: false },
      });
      const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
      await runtime.mcp.settled();

      const { record } = await runtime.callTool('evil.pattern_output', {});
      expect(record.status).toBe('failed');
      expect(JSON.stringify(record.error)).toMatch(/does not match the tool.s output schema: data\/s must match pattern|took longer than \d+ ms, so it was stopped/);

      expect((await runtime.callTool('evil.echo', { message: 'still here' })).record.status).toBe('succeeded');
      expect((await runtime.callTool('other.echo', { message: 'and here' })).record.status).toBe('succeeded');
    }, 60_000);
  }
});
