import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { cliBin } from '../helpers/paths';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const run = promisify(execFile);

describe('a field of an mcp.json entry Portcullis does not know', () => {
  it("is said on the server's row and in the log with the field likely meant, and the server starts without it; other hosts' fields are left unsaid", async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, {
      // A Portcullis setting mistyped: it runs with the default timeout, which the person would never learn.
      mistyped: { command: process.execPath, args: [chaosServer], timeoutMS: 5000, envs: { A: '1' }, sandbox: false },
      // As pasted from Cline: its own fields, not mistakes.
      cline: { command: process.execPath, args: [chaosServer], sandbox: false, disabled: false, timeout: 60, transportType: 'stdio', autoApprove: [] },
      // A sandbox grant mistyped skips the server (a grant or limit would be missing unseen), saying the field meant.
      jailed: { command: process.execPath, args: [chaosServer], sandbox: { allowWrites: ['/tmp'] } },
    });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();

    const catalog = await runtime.handlers['tools.catalog']({});
    const byName = Object.fromEntries(catalog.servers.map((s) => [s.name, s]));
    expect(byName.mistyped).toMatchObject({
      state: 'connected',
      fieldWarnings: [
        '"timeoutMS" is not a field Portcullis knows, so it is not used: did you mean "timeoutMs"?',
        '"envs" is not a field Portcullis knows, so it is not used: did you mean "env"?',
      ],
    });
    // Its timeout alone is said: it was meant to hold, and here it does not.
    expect(byName.cline).toMatchObject({ state: 'connected', fieldWarnings: ['"timeout" (Cline\'s, in seconds) is not used: Portcullis reads "timeoutMs", in milliseconds (this server\'s: 30000); for 60 s: "timeoutMs": 60000.'] });
    expect((await runtime.callTool('mistyped.echo', { message: 'hi' })).record.status).toBe('succeeded');
    expect(catalog.problems).toContain(`${join(dataDir, 'mcp.json')}: server "jailed" was skipped: "sandbox" does not take "allowWrites": did you mean "allowWrite"?`);
    await runtime.dispose();

    const log = readFileSync(join(dataDir, 'logs', 'portcullis.log'), 'utf8');
    expect(log).toContain('mcp.json, server \\"mistyped\\": \\"timeoutMS\\" is not a field Portcullis knows, so it is not used: did you mean \\"timeoutMs\\"?');
    expect(log).not.toContain('server \\"cline\\": \\"transportType');

    // tools list in words says them under the server's line, as its --json carries them.
    const listed = (await run(process.execPath, [cliBin, 'tools', 'list', '--data-dir', dataDir])).stdout;
    expect(listed).toMatch(/^server mistyped: connected, .*\n {2}"timeoutMS" is not a field Portcullis knows, so it is not used: did you mean "timeoutMs"\?\n {2}"envs" is not a field/m);
  }, 30_000);
});
