import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');

describe('a credential written out in a server\'s env (mcp.json edited by hand, no keychain to move it to)', () => {
  it('is masked in what the server says back; a value under another name is not', async () => {
    const dataDir = tempDir();
    const canary = 'canary-plain-env-token-7c21';
    const env = { GITHUB_PERSONAL_ACCESS_TOKEN: canary, LOG_LEVEL: 'debug-verbose', TOKEN_FILE: '/run/secrets/token-path' };
    writeMcpConfig(dataDir, { gh: { command: process.execPath, args: [escapeServer], env, sandbox: false } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    const read = async (name: string) => resultText((await runtime.callTool('gh.env_var', { name })).record.result);
    expect(await read('GITHUB_PERSONAL_ACCESS_TOKEN')).toBe('[redacted]');
    expect(await read('LOG_LEVEL')).toBe('debug-verbose');
    expect(await read('TOKEN_FILE')).toBe('/run/secrets/token-path'); // where a credential is, not one
  }, 30_000);

  it('in its arguments too, even with "secret:" inside a word; a plain setting such as --auth none is not one', async () => {
    const dataDir = tempDir();
    const canary = 'topsecret:canary-arg-9d4e';
    // The server says the same words back through a variable of another name.
    const env = { ECHO_VALUE: canary, ECHO_SETTING: 'none', MCP_AUTH: 'oauth' };
    writeMcpConfig(dataDir, { gh: { command: process.execPath, args: [escapeServer, '--token', canary, '--auth', 'none'], env, sandbox: false } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    const read = async (name: string) => resultText((await runtime.callTool('gh.env_var', { name })).record.result);
    expect(await read('ECHO_VALUE')).toBe('[redacted]');
    expect(await read('ECHO_SETTING')).toBe('none');
    expect(await read('MCP_AUTH')).toBe('oauth');
  }, 30_000);
});
