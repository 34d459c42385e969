import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { describeHttpFailure } from '../../src/core/mcp/http-status-failure';
import { MemorySecretStore, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const exitSayingServer = join(__dirname, '..', 'fixtures', 'mcp', 'exit-saying-server.mjs');
const canary = `canary-${'0123456789'.repeat(6)}`;

// A server's words are cut to a length for its row or a call's error; cut before its secrets were hidden, a secret
// straddling the cut was no longer found whole, and its start was shown (to the person, and to the model).
describe("a server's words cut to length, holding a secret it was given across the cut", () => {
  it('the line of its stderr its row quotes as why it ended has none of the secret', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { bad: { command: process.execPath, args: [exitSayingServer], sandbox: false, env: { LAST_WORDS: 'secret:LAST_WORDS' } } });
    const { runtime } = startTestRuntime({ dataDir, secretStore: new MemorySecretStore({ LAST_WORDS: canary }), approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    const { record } = await runtime.callTool('bad.exit_saying', {});
    expect(record.status).toBe('failed');
    const bad = () => runtime.mcp.connections().find((connection) => connection.name === 'bad')!;
    await until('its row says why it ended', () => bad().error ?? bad().lastFailure ?? '', (error) => error.includes('after writing'));
    const said = JSON.stringify([runtime.mcp.status(), record, bad().error, bad().lastFailure]);
    expect(said).toContain('[redacted]');
    expect(said).not.toContain(canary.slice(0, 12));
    await runtime.dispose();
  }, 30_000);

  it("a remote server's words in an HTTP error have the secret hidden before they are cut", () => {
    const error = new StreamableHTTPError(503, `Error POSTing to endpoint: ${'y'.repeat(180)} ${canary}`);
    const said = describeHttpFailure(error, (text) => text.replaceAll(canary, '[redacted]'));
    expect(said).not.toContain(canary.slice(0, 12));
  });
});
