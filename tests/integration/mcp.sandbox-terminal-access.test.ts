import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { readTerminalAccess, terminalAccessFile } from '../../src/core/runtime/terminal-access';
import { startHeadlessServer, type HeadlessServer } from '../../src/server/headless-server';
import { writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');

let server: HeadlessServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * The desktop app writes the terminal's token when its local API starts, and again each time the person turns it on or
 * off in Settings, while the MCP servers run: a server is denied the data folder's entries as they were when it
 * started (the workspace inside it being readable), so the token must land where it was already hidden.
 */
describe('MCP servers under the OS sandbox: the token of the terminal-access file', () => {
  it.each([
    ['on its Unix socket (local API off)', { terminalOnly: true }],
    ['on 127.0.0.1 (local API on)', { port: 0 }],
  ])('written after a server started %s is not readable to it, nor its socket reachable', async (_way, options) => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    mkdirSync(workspace, { recursive: true });
    writeMcpConfig(dataDir, { jailed: { command: process.execPath, args: [escapeServer], maxRetries: 0, timeoutMs: 30_000 } });
    const { runtime } = startTestRuntime({ dataDir, workspace, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    expect(runtime.mcp.status().find((s) => s.name === 'jailed')).toMatchObject({ state: 'connected', sandboxed: true });
    const attempt = async (tool: string, args: Record<string, unknown>) => resultText((await (runtime as Runtime).callTool(`jailed.${tool}`, args)).record.result);

    server = await startHeadlessServer({ runtime, ...options });
    const access = readTerminalAccess(dataDir)!;
    expect(access.token).toBeTruthy();
    const seen = await attempt('read_path', { path: terminalAccessFile(dataDir) });
    expect(seen).toMatch(/^BLOCKED/);
    expect(seen).not.toContain(access.token);
    if (access.socket) expect(await attempt('unix_socket', { path: access.socket })).toMatch(/^BLOCKED/);
    // Started again (the person turned the local API off and on): a new token, written whole over the last.
    await server.close();
    server = await startHeadlessServer({ runtime, ...options });
    const again = await attempt('read_path', { path: terminalAccessFile(dataDir) });
    expect(again).toMatch(/^BLOCKED/);
    expect(again).not.toContain(readTerminalAccess(dataDir)!.token);
  }, 60_000);
});
