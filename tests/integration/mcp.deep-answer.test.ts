import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

describe("an MCP server's answer nested thousands deep", () => {
  it('fails the call saying so, and the server keeps answering, where the call failed with "Maximum call stack size exceeded"', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { deep: { command: process.execPath, args: [chaosServer, '--log', join(dataDir, 'deep.log')], sandbox: false } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();

    const { record } = await runtime.callTool('deep.deep_result', {});
    expect(record.status).toBe('failed');
    expect(record.error).toEqual({
      code: 'TOOL_FAILED',
      message: expect.stringContaining("failed: the deep server's answer nests objects and arrays more than 256 levels deep, more than Portcullis reads."),
    });

    expect((await runtime.callTool('deep.deep_result', { depth: 30 })).record.status).toBe('succeeded');
    expect((await runtime.callTool('deep.echo', { message: 'still here' })).record.status).toBe('succeeded');
  }, 60_000);
});
