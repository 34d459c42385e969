import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { fakeHome } from '../helpers/fake-home';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');
const SECRET = 'saved-after-start-5b2e';

/** Saves `file` as editors and Portcullis's pages do: written whole beside it, then renamed over it. */
function saveByRename(file: string, content: string): void {
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
}

/**
 * In the default layout (the workspace inside the data folder) a server reads the workspace and nothing else of the
 * data folder. Hidden entry by entry as they were at its start, a file saved later by rename (mcp.json with other
 * servers' tokens, policy.yaml) or made later was readable to it: the hiding mount stayed on the old file.
 */
describe('MCP servers under the OS sandbox: the data folder around the workspace', () => {
  it.each([
    ['outside the home folder (--data-dir)', false],
    ["in the home folder (the desktop app's)", true],
  ])('with the data folder %s, a running server reads no file of it saved by rename or made after it started, and writes its grant in the workspace to disk', async (_where, inHome) => {
    const dataDir = inHome ? join(fakeHome(), '.local', 'share', 'portcullis') : tempDir();
    const workspace = join(dataDir, 'workspace');
    mkdirSync(join(workspace, 'out'), { recursive: true });
    writeFileSync(join(workspace, 'notes.md'), 'workspace notes');
    const server = { command: process.execPath, args: [escapeServer], maxRetries: 0, timeoutMs: 30_000 };
    const servers = {
      wholeHome: { ...server, sandbox: { readHome: true, allowWrite: ['out'] } },
      privateHome: { ...server, sandbox: { allowWrite: ['out'] } },
    };
    writeMcpConfig(dataDir, servers);
    const { runtime } = startTestRuntime({ dataDir, workspace, approvalGate: new FixedApprovalGate('all') });
    await runtime.mcp.settled();
    for (const name of Object.keys(servers)) {
      const status = runtime.mcp.status().find((s) => s.name === name)!;
      expect(status, `${name}: ${status.error ?? ''} ${status.stderrTail}`).toMatchObject({ state: 'connected', sandboxed: true });
    }
    const attempt = async (name: string, tool: string, path: string) => resultText((await (runtime as Runtime).callTool(`${name}.${tool}`, { path })).record.result);

    // Saved while the servers run; mcp.json keeps their entries as they were, so neither restarts. The files the
    // runtime keeps (tool pins) are saved as they are: only whether they can be read is asked.
    saveByRename(join(dataDir, 'mcp.json'), JSON.stringify({ mcpServers: servers, note: SECRET }, null, 2));
    const policy = join(dataDir, 'policy.yaml');
    saveByRename(policy, `${existsSync(policy) ? readFileSync(policy, 'utf8') : ''}\n# ${SECRET}\n`);
    const kept = ['http-fetch.json', 'tool-pins.json', 'portcullis.db'].filter((name) => existsSync(join(dataDir, name)));
    for (const name of kept.filter((n) => n.endsWith('.json'))) saveByRename(join(dataDir, name), readFileSync(join(dataDir, name), 'utf8'));
    writeFileSync(join(dataDir, 'made-later.json'), SECRET);
    for (const name of Object.keys(servers)) {
      for (const file of ['mcp.json', 'policy.yaml', 'made-later.json', ...kept]) {
        const seen = await attempt(name, 'read_path', join(dataDir, file));
        expect(seen, `${name} reading ${file}`).toMatch(/^BLOCKED/);
        expect(seen).not.toContain(SECRET);
      }
      expect(await attempt(name, 'read_path', join(workspace, 'notes.md'))).toBe('ALLOWED workspace notes');
      // Its write grant inside the workspace lands on disk; the data folder around it takes nothing.
      const granted = join(workspace, 'out', `${name}.txt`);
      expect(await attempt(name, 'write_granted', granted)).toMatch(/^ALLOWED/);
      expect(readFileSync(granted, 'utf8')).toBe('planted by the escape server');
      expect(await attempt(name, 'write_outside', join(dataDir, `${name}.txt`))).toMatch(/^BLOCKED/);
      expect(existsSync(join(dataDir, `${name}.txt`))).toBe(false);
    }
    expect(runtime.mcp.status().filter((s) => s.state === 'connected').map((s) => s.name).sort()).toEqual(['privateHome', 'wholeHome']);
  }, 60_000);
});
