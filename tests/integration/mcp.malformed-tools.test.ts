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

function startWith(badTools: 'some' | 'only') {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, { odd: { command: process.execPath, args: [chaosServer, '--bad-tools', badTools], sandbox: false } });
  const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
  return { dataDir, runtime };
}

describe('a server whose tools/list holds tools that break MCP', () => {
  it('connects with its good tools and names each one left out on its row, where the whole server failed and was restarted for good', async () => {
    const { dataDir, runtime } = startWith('some');
    await runtime.mcp.settled();
    const { servers, tools } = await runtime.handlers['tools.catalog']({});
    const odd = servers.find((server) => server.name === 'odd')!;
    expect(odd).toMatchObject({ state: 'connected', error: null, restarts: 0 });
    expect(odd.fieldWarnings).toEqual([
      expect.stringMatching(/^Its tool "broken" is left out: it does not follow MCP \(inputSchema\.type: .*"object".*\); its maker can correct it\.$/),
      expect.stringMatching(/^Its tool tools\[2\] \(no name\) is left out: it does not follow MCP \(name: .*\); its maker can correct it\.$/),
    ]);
    expect((await runtime.callTool('odd.echo', { message: 'hi' })).record.status).toBe('succeeded');
    const names = tools.map((tool) => tool.name);
    expect(names).toContain('odd.echo');
    expect(names).not.toContain('odd.broken');
    // Pinning sees the good tools alone.
    const pins = Object.keys((JSON.parse(readFileSync(join(dataDir, 'tool-pins.json'), 'utf8')) as { pins: Record<string, unknown> }).pins);
    expect(pins).toContain('odd.echo');
    expect(pins.filter((name) => !/^odd\.[a-z_]+$/.test(name) || name === 'odd.broken')).toEqual([]);
    await runtime.dispose();

    // tools list in words says them under the server's line.
    const listed = (await run(process.execPath, [cliBin, 'tools', 'list', '--data-dir', dataDir])).stdout;
    expect(listed).toMatch(/^server odd: connected, .*\n {2}Its tool "broken" is left out: it does not follow MCP/m);
  }, 30_000);

  it('fails, naming a bad tool, and is not restarted on its own when none of its tools can be used', async () => {
    const { runtime } = startWith('only');
    await runtime.mcp.settled();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // three times its first backoff (500 ms)
    const { servers } = await runtime.handlers['tools.catalog']({});
    const odd = servers.find((server) => server.name === 'odd')!;
    expect(odd).toMatchObject({ state: 'failed', restarts: 0, nextRestartAt: null });
    expect(odd.error).toMatch(/none of its 2 tools can be used: its tool "broken": it does not follow MCP \(inputSchema\.type: .*\), and 1 more likewise left out; .*It is not restarted on its own: Restart tries it again/);
    expect(odd.error).not.toContain('\n');
    await runtime.dispose();
  }, 30_000);
});
