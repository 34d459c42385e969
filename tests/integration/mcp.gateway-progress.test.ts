import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { startHeadlessServer } from '../../src/server/headless-server';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

describe("an MCP client of /mcp calling a real server's long operation", () => {
  it("hears each step the server reports, the last one too, as the server's own figures", async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything') } });
    const t = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    await t.runtime.mcp.settled();
    const server = await startHeadlessServer({ runtime: t.runtime });
    onTestFinished(() => server.close());
    const key = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'] }).key;
    const client = new Client({ name: 'Cursor', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${server.port}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    onTestFinished(() => client.close());

    const progress: Progress[] = [];
    const result = (await client.callTool({ name: 'everything_trigger-long-running-operation', arguments: { duration: 1, steps: 5 } }, undefined, { onprogress: (p) => progress.push(p) })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    // The server's own figures, rising (steps 200 ms apart pass the gateway's 100 ms throttle unless the machine
    // stalls), no beat (the call is quicker than one), and the last step, which the server sends just before its
    // answer: the SDK took the answer first and dropped it, whenever both came in one read.
    expect(progress.at(-1)).toEqual({ progress: 5, total: 5 });
    expect(progress.every((p) => p.total === 5 && Object.keys(p).length === 2)).toBe(true);
    const steps = progress.map((p) => p.progress);
    expect(steps).toEqual([...new Set(steps)].sort((a, b) => a - b));
    expect(steps.length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
