import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const server = (describe: string) => ({ command: process.execPath, args: [chaosServer, '--describe', describe], sandbox: false });

describe('mcp.json edited in another app while Portcullis runs', () => {
  it('is taken up: a server added starts, a changed one restarts, a removed one stops; a half-written save stops nothing', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { first: server('first, as started') });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') }); // unsandboxed: each call asks
    await runtime.mcp.settled();
    const catalog = () => runtime.handlers['tools.catalog']({});
    const description = async (tool: string) => (await catalog()).tools.find((t) => t.name === tool)?.description;
    const before = (await catalog()).configVersion;
    expect(before).toMatch(/^[0-9a-f]{16}$/);

    writeMcpConfig(dataDir, { first: server('first, as started'), second: server('second, added') });
    await until('the added server to start', () => description('second.echo'), (d) => d === 'second, added');
    expect((await catalog()).configVersion).not.toBe(before);

    writeMcpConfig(dataDir, { first: server('first, changed'), second: server('second, added') });
    await until('the changed server to restart', () => description('first.echo'), (d) => d === 'first, changed');

    // An editor that saved mid-edit: the servers keep running, and the page says what is wrong with the file.
    writeFileSync(join(dataDir, 'mcp.json'), '{ "mcpServers": { "first": ');
    await until('the broken file to be reported', catalog, (c) => c.problems.some((p) => p.includes('is not valid JSON')));
    expect((await catalog()).servers.map((s) => [s.name, s.state]).sort()).toEqual([['first', 'connected'], ['second', 'connected']]);
    // …and says so: not "no MCP servers were started from it", which is what a broken file means at start.
    expect((await catalog()).problems).toEqual([expect.stringMatching(/is not valid JSON \(.*\); the servers keep running as they were until it reads again\. Fix the file\.$/)]);

    writeMcpConfig(dataDir, { second: server('second, added') });
    await until('the removed server to stop', () => description('first.echo'), (d) => d === undefined);
    expect((await catalog()).problems).toEqual([]);
    expect((await runtime.callTool('second.echo', { message: 'still here' })).record.status).toBe('succeeded');
  }, 30_000);
});
