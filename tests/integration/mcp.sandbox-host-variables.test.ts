import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { MemorySecretStore, writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');

describe.skipIf(process.platform === 'win32')("a sandboxed server's own variables never steer the programs that start its sandbox on the host", () => {
  it('BASH_ENV, SHELLOPTS with PS4 and an exported function run nothing on the host, and still reach the server as written', async () => {
    const dataDir = tempDir();
    // Files only the host can make: the data folder is hidden from (and read-only to) every server.
    const marks = { bashEnv: join(dataDir, 'ran-BASH_ENV'), ps4: join(dataDir, 'ran-PS4'), fn: join(dataDir, 'ran-function') };
    const env = {
      BASH_ENV: `$(touch ${marks.bashEnv})`,
      SHELLOPTS: 'xtrace',
      PS4: `$(touch ${marks.ps4})`,
      'BASH_FUNC_exec%%': `() { touch ${marks.fn}; builtin exec "$@"; }`,
      PATH: `/usr/local/bin:/usr/bin:/bin:${dataDir}`,
    };
    writeMcpConfig(dataDir, { probe: { command: process.execPath, args: [escapeServer], env } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    const status = runtime.mcp.status().find((s) => s.name === 'probe')!;
    expect(status, `${status.error}\n${status.stderrTail}`).toMatchObject({ state: 'connected', sandboxed: true });
    expect({ bashEnv: existsSync(marks.bashEnv), ps4: existsSync(marks.ps4), fn: existsSync(marks.fn) }).toEqual({ bashEnv: false, ps4: false, fn: false });
    const read = async (name: string) => resultText((await runtime.callTool('probe.env_var', { name })).record.result);
    expect(await read('BASH_ENV')).toBe(env.BASH_ENV);
    expect(await read('PS4')).toBe(env.PS4);
    expect(await read('PATH')).toBe(env.PATH);
  }, 60_000);

  it('refuses such a variable taken from the keychain: it is set on the command line, which other users can read', async () => {
    const dataDir = tempDir();
    const secretStore = new MemorySecretStore();
    await secretStore.set('lib', '/opt/lib');
    writeMcpConfig(dataDir, { probe: { command: process.execPath, args: [escapeServer], env: { LD_LIBRARY_PATH: 'secret:lib' }, maxRetries: 0 } });
    const { runtime } = startTestRuntime({ dataDir, secretStore });
    await runtime.mcp.settled();
    const status = runtime.mcp.status().find((s) => s.name === 'probe')!;
    expect(status.state).toBe('failed');
    expect(status.error).toContain('LD_LIBRARY_PATH is set inside its sandbox on its command line');
  }, 60_000);
});
