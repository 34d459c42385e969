import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');
const CANARY = 'canary-slow-walk-9a3d';

describe("the look for the workspace's secret files at a sandboxed server's start", () => {
  it('walks 15,000 files before the server starts, so the server still cannot read the secret file it found last (that the walk yields to the event loop is tests/unit, not timed here)', async () => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    // 15,000 files in 150 folders, two deep; the secret file deepest and last, so the walk ends on it.
    for (let a = 0; a < 15; a++) {
      for (let b = 0; b < 10; b++) {
        const folder = join(workspace, `pkg${a}`, `src${b}`);
        mkdirSync(folder, { recursive: true });
        for (let f = 0; f < 100; f++) writeFileSync(join(folder, `file${f}.ts`), '');
      }
    }
    const deep = join(workspace, 'zz', 'a', 'b', 'c');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, '.env'), `${CANARY} API_KEY=x`);
    writeMcpConfig(dataDir, { probe: { command: process.execPath, args: [escapeServer], maxRetries: 0, timeoutMs: 30_000 } });

    const { runtime } = startTestRuntime({ dataDir, workspace, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    const status = runtime.mcp.status().find((s) => s.name === 'probe')!;
    expect(status, `${status.error ?? ''} ${status.stderrTail}`).toMatchObject({ state: 'connected', sandboxed: true });
    expect(status.sandboxGrants!.workspaceSecrets).toMatchObject({ hidden: [join(deep, '.env')], complete: true });
    expect(resultText((await runtime.callTool('probe.read_named', { name: join(deep, '.env') })).record.result)).not.toContain(CANARY);
    await runtime.dispose();
  }, 120_000);
});
