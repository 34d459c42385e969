import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { directCallOutcome } from '../../src/core/tools/direct-call-outcome';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { pollUntil } from '../helpers/poll-until';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

describe('a call of a tool whose MCP server is down', () => {
  // A script (tools call --json, tools.call, /mcp) tells "fix the server" from "fix the name" by the code, as it
  // does for a call its server's crash cut short.
  it('fails with MCP_SERVER_UNAVAILABLE and why the server is down, a turned-off server too; a name no server has stays TOOL_NOT_FOUND', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, {
      broken: { command: process.execPath, args: [chaosServer, '--exit-at-start'], maxRetries: 0 },
      off: { command: process.execPath, args: [chaosServer], enabled: false },
    });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    // Called while broken is down: it is restarted with backoff, and a loaded machine may find it starting again.
    await pollUntil(async () => runtime.mcp.status().find((server) => server.name === 'broken')?.state, (state) => state === 'failed');

    const down = directCallOutcome(await runtime.callTool('broken.echo', { message: 'hi' }));
    expect(down).toMatchObject({ outcome: 'error', decision: null, error: { code: 'MCP_SERVER_UNAVAILABLE' } });
    expect(down.error?.message).toMatch(/^The broken MCP server is not running \(.*cannot open the database at \/nonexistent.*\), so broken\.echo cannot be used now/);

    const off = directCallOutcome(await runtime.callTool('off.echo', { message: 'hi' }));
    expect(off).toMatchObject({ outcome: 'error', error: { code: 'MCP_SERVER_UNAVAILABLE', message: 'The off MCP server is turned off, so off.echo cannot be used; turn it on on the Tools & servers page.' } });

    expect((await runtime.callTool('nowhere.echo', {})).record.error?.code).toBe('TOOL_NOT_FOUND');
  }, 30_000);
});
