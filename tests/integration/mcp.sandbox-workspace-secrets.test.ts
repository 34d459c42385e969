import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { SHARED_LOOK_MS } from '../../src/core/sandbox/workspace-secrets';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');
const CANARY = 'canary-workspace-secret-4b2f';

/**
 * What policy.yaml's deny.secrets calls secret files, in the workspace: hidden from every server. `.env.example` too:
 * the shipped policy lists every `.env.*`, and the sandbox follows the policy's list rather than keep its own.
 */
const SECRETS = ['.env', 'sub/.env.local', '.env.example', 'certs/server.pem', 'deploy/id_ed25519', '.aws/credentials'];
/** The workspace's other files, and secret files the servers never get to see: what they are there for. */
const ORDINARY = ['notes.md', 'sub/app.ts', 'env.md', 'node_modules/pkg/.env'];

const text = (result: unknown): string => ((result as { content?: Array<{ text?: string }> })?.content ?? []).map((p) => p.text ?? '').join('\n');
const server = { command: process.execPath, args: [escapeServer], maxRetries: 0, timeoutMs: 30_000 };

describe("the workspace's secret files under the OS sandbox", () => {
  it('are hidden from a server with no grant, given back to one whose allowRead names one, and said on its row', async () => {
    const dataDir = tempDir();
    const workspace = join(dataDir, 'workspace');
    for (const path of [...SECRETS, ...ORDINARY]) {
      mkdirSync(dirname(join(workspace, path)), { recursive: true });
      writeFileSync(join(workspace, path), `${CANARY} ${path}`);
    }
    writeMcpConfig(dataDir, {
      plain: { ...server, sandbox: {} },
      granted: { ...server, sandbox: { allowRead: ['.env'] } },
      filesystem: { command: mcpBin('filesystem'), args: [workspace], maxRetries: 0 },
      loose: { ...server, sandbox: false },
    });
    const { runtime } = startTestRuntime({ dataDir, workspace, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    for (const name of ['plain', 'granted', 'filesystem']) {
      const status = runtime.mcp.status().find((s) => s.name === name)!;
      expect(status, `${name}: ${status.error ?? ''} ${status.stderrTail}`).toMatchObject({ state: 'connected', sandboxed: true });
    }
    // Under `name`, where the policy does not look: the sandbox alone decides.
    const read = async (name: string, path: string) => text((await runtime.callTool(`${name}.read_named`, { name: join(workspace, path) })).record.result);

    for (const path of SECRETS) {
      expect(await read('loose', path), path).toContain(CANARY); // there to steal
      expect(await read('plain', path), path).not.toContain(CANARY);
    }
    for (const path of ORDINARY) expect(await read('plain', path), path).toContain(CANARY);
    expect(await read('granted', '.env')).toContain(CANARY);
    expect(await read('granted', 'sub/.env.local')).not.toContain(CANARY);

    const grants = (name: string) => runtime.mcp.status().find((s) => s.name === name)!.sandboxGrants!;
    const hidden = (name: string) => grants(name).workspaceSecrets.hidden.map((p) => p.slice(workspace.length + 1)).sort();
    // A secret folder (.aws) is hidden whole; node_modules is not looked into.
    expect(hidden('plain')).toEqual(['.aws', '.env', '.env.example', 'certs/server.pem', 'deploy/id_ed25519', 'sub/.env.local']);
    expect(grants('plain').workspaceSecrets).toMatchObject({ allowed: [], complete: true });
    expect(grants('granted').workspaceSecrets.allowed).toEqual([join(workspace, '.env')]);
    expect(hidden('granted')).not.toContain('.env');

    // server-filesystem rooted at the workspace still lists and reads it: it sees the name .env, not what it holds.
    const listing = text((await runtime.callTool('filesystem.list_directory', { path: workspace })).record.result);
    expect(listing).toContain('[FILE] notes.md');
    expect(listing).toMatch(/\.env\b/);
    expect(text((await runtime.callTool('filesystem.read_text_file', { path: join(workspace, 'notes.md') })).record.result)).toContain(CANARY);
    const tree = await runtime.callTool('filesystem.directory_tree', { path: join(workspace, 'sub') });
    expect(tree.record.status).toBe('succeeded');
    const search = await runtime.callTool('filesystem.search_files', { path: workspace, pattern: 'env' });
    expect(search.record.status).toBe('succeeded');

    // One made after the server started is readable to it until it restarts (its row says so), then hidden.
    writeFileSync(join(workspace, '.env.later'), `${CANARY} later`);
    expect(await read('plain', '.env.later')).toContain(CANARY);
    await new Promise((done) => setTimeout(done, SHARED_LOOK_MS)); // servers starting together share a look; a restart looks afresh
    await runtime.mcp.restart('plain');
    await runtime.mcp.settled();
    expect(await read('plain', '.env.later')).not.toContain(CANARY);
    expect(hidden('plain')).toContain('.env.later');
    await runtime.dispose();
  }, 120_000);
});
