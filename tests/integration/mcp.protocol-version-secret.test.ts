import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { MemorySecretStore, protocolChaosServer, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

// The row's error quoted the first 40 characters of the version a server answered initialize with, cut before its
// secrets were hidden: a secret longer than that no longer matched whole, so its first 40 characters were shown.
describe('a server that answers initialize with a secret it was given as its MCP version', () => {
  it('has none of the secret on its row', async () => {
    const dataDir = tempDir();
    const canary = `canary-${'0123456789'.repeat(6)}`;
    writeMcpConfig(dataDir, { bad: { command: process.execPath, args: [protocolChaosServer, '--version', 'secret:CHAOS_TOKEN'], sandbox: false } });
    const { runtime } = startTestRuntime({ dataDir, secretStore: new MemorySecretStore({ CHAOS_TOKEN: canary }), approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    const bad = runtime.mcp.connections().find((connection) => connection.name === 'bad')!;
    expect(bad.state).toBe('failed');
    expect(bad.error).toMatch(/^it speaks MCP version "\[redacted\]", which Portcullis does not/);
    expect(JSON.stringify(runtime.mcp.status())).not.toContain(canary.slice(0, 20));
    await runtime.dispose();
  }, 30_000);
});
