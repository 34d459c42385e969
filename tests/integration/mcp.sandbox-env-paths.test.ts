import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');
const CANARY = 'canary-env-path-5c8e';

let home = '';
let memoryFile = '';
beforeAll(() => {
  home = join(tmpdir(), `portcullis-env-paths-${process.pid}`);
  memoryFile = join(home, 'notes', 'memory.jsonl');
  for (const path of ['.ssh/id_canary', 'project/.env', 'project/notes.md', 'other/private.md']) {
    mkdirSync(dirname(join(home, path)), { recursive: true });
    writeFileSync(join(home, path), `${CANARY} ${path}`);
  }
  mkdirSync(dirname(memoryFile), { recursive: true });
  // server-memory's file as it writes it: one JSON object per line.
  writeFileSync(memoryFile, `${JSON.stringify({ type: 'entity', name: 'Ada', entityType: 'person', observations: [CANARY] })}\n`);
  vi.stubEnv('HOME', home);
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

function start(mcpServers: Record<string, unknown>): { runtime: Runtime; dataDir: string } {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, mcpServers);
  const { runtime } = startTestRuntime({ dataDir, workspace: join(home, 'project'), approvalGate: new FixedApprovalGate('all') });
  return { runtime, dataDir };
}

async function connected(runtime: Runtime, names: string[]) {
  await runtime.mcp.settled();
  for (const name of names) {
    const status = runtime.mcp.status().find((s) => s.name === name)!;
    expect(status, `${name}: ${status.error ?? ''} ${status.stderrTail}`).toMatchObject({ state: 'connected', sandboxed: true });
  }
  return (name: string) => runtime.mcp.status().find((s) => s.name === name)!;
}

describe("paths a server's env names, under the OS sandbox with a private home folder", () => {
  it("server-memory reads the MEMORY_FILE_PATH its env names outside the workspace; a write there is refused with the variable named and the folder offered, and written once granted", async () => {
    const { runtime } = start({
      // `~/…` as a shell expands it in `NAME=~/…`: server-memory would take it relative to its own code.
      memory: { command: mcpBin('memory'), env: { MEMORY_FILE_PATH: '~/notes/memory.jsonl' }, maxRetries: 0 },
      granted: { command: mcpBin('memory'), env: { MEMORY_FILE_PATH: memoryFile }, sandbox: { allowWrite: ['~/notes'] }, maxRetries: 0 },
    });
    const status = await connected(runtime, ['memory', 'granted']);

    // Read: its graph is the file's, where it was hidden (an empty graph, as if the file were not there).
    expect(resultText((await runtime.callTool('mcp-memory.read_graph', {})).record.result)).toContain(CANARY);
    expect(status('memory').sandboxGrants!.readable).toContainEqual({ path: memoryFile, from: 'environment' });
    expect(status('memory').sandboxGrants!.readable.map((g) => g.path)).not.toContain(join(home, 'notes'));

    // Write: not granted on the variable's word alone; its row says which variable names which file, one click away.
    expect(status('memory').unwritableFolders).toEqual([
      { folder: join(home, 'notes'), seen: 'environment', environment: { variable: 'MEMORY_FILE_PATH', path: memoryFile }, notOffered: null },
    ]);
    const kept = await runtime.callTool('mcp-memory.create_entities', { entities: [{ name: 'Grace', entityType: 'person', observations: ['wrote a compiler'] }] });
    expect(kept.record.status).toBe('failed');
    expect(kept.record.error?.message).toContain(`Portcullis' sandbox kept this write from happening: memory may write nothing of yours. It tried to write ${memoryFile}, which its env's MEMORY_FILE_PATH names.`);
    expect(kept.record.error?.message).toContain(`"Allow memory to write ${join(home, 'notes')}" on the Tools & servers page lets it`);
    expect(readFileSync(memoryFile, 'utf8')).not.toContain('Grace');

    const written = await runtime.callTool('granted.create_entities', { entities: [{ name: 'Grace', entityType: 'person', observations: ['wrote a compiler'] }] });
    expect(written.record.status, written.record.error?.message).toBe('succeeded');
    expect(readFileSync(memoryFile, 'utf8')).toContain('Grace');
    expect(status('granted').unwritableFolders).toEqual([]);
    await runtime.dispose();
  }, 120_000);

  it("a data file not made yet, in a folder of the home its sandbox hides: the write's \"no such file\" is said as the sandbox's doing, with the variable and the folder to grant", async () => {
    const later = join(home, 'later', 'memory.jsonl');
    mkdirSync(dirname(later), { recursive: true });
    const { runtime } = start({ memory: { command: mcpBin('memory'), env: { MEMORY_FILE_PATH: later }, maxRetries: 0 } });
    const status = await connected(runtime, ['memory']);
    expect(status('memory').unwritableFolders).toEqual([{ folder: join(home, 'later'), seen: 'environment', environment: { variable: 'MEMORY_FILE_PATH', path: later }, notOffered: null }]);
    const kept = await runtime.callTool('mcp-memory.create_entities', { entities: [{ name: 'Grace', entityType: 'person', observations: ['wrote a compiler'] }] });
    // The sandbox's doing and the fix first; the server's "no such file" on its temp file after, as what it reported.
    expect(kept.record.error?.message).toMatch(
      new RegExp(`^${escape(`Portcullis' sandbox kept this write from happening: memory may write nothing of yours. It tried to write ${later}, which its env's MEMORY_FILE_PATH names, in a folder of your home folder its sandbox hides from it. "Allow memory to write ${join(home, 'later')}" on the Tools & servers page lets it, or add the folder to "sandbox": { "allowWrite": [...] } of memory in mcp.json. What mcp-memory.create_entities reported: `)}.*ENOENT`),
    );
    await runtime.dispose();
  }, 60_000);

  it('an env path through a file, or in a folder that does not exist under one never offered, says so plainly on its row, and offers no folder above it', async () => {
    const throughFile = join(home, 'project', 'notes.md', 'memory.db');
    const underRoot = '/nonexistent-portcullis-env/dir/file.db';
    const underHome = join(home, 'not-made-yet', 'deep', 'app.db');
    const { runtime } = start({ memory: { command: mcpBin('memory'), env: { MEMORY_FILE_PATH: memoryFile, DB: throughFile, P5: underRoot, STORE: underHome }, maxRetries: 0 } });
    const status = await connected(runtime, ['memory']);
    expect(status('memory').unwritableFolders).toEqual([
      { folder: join(home, 'notes'), seen: 'environment', environment: { variable: 'MEMORY_FILE_PATH', path: memoryFile }, notOffered: null },
      {
        folder: dirname(throughFile),
        seen: 'environment',
        environment: { variable: 'DB', path: throughFile, problem: `${join(home, 'project', 'notes.md')} is a file, not a folder` },
        notOffered: 'No grant here makes it work: correct DB of memory in mcp.json.',
      },
      {
        folder: dirname(underRoot),
        seen: 'environment',
        environment: { variable: 'P5', path: underRoot, problem: `its folder ${dirname(underRoot)} does not exist` },
        notOffered: 'No grant here makes it work: create that folder, or correct P5 of memory in mcp.json.',
      },
      {
        folder: dirname(underHome),
        seen: 'environment',
        environment: { variable: 'STORE', path: underHome, problem: `its folder ${dirname(underHome)} does not exist` },
        notOffered: 'No grant here makes it work: create that folder, or correct STORE of memory in mcp.json.',
      },
    ]);
    // Its folder made, the folder is offered as any data file's is.
    mkdirSync(dirname(underHome), { recursive: true });
    expect(status('memory').unwritableFolders.at(-1)).toEqual({ folder: dirname(underHome), seen: 'environment', environment: { variable: 'STORE', path: underHome }, notOffered: null });
    await runtime.dispose();
  }, 60_000);

  it('an env path (or an argument) never opens a credential, the data folder, a hidden workspace secret or the home folder itself', async () => {
    const dataDir = tempDir();
    const dataFile = join(dataDir, 'mcp.json');
    const server = { command: process.execPath, args: [escapeServer], maxRetries: 0, timeoutMs: 30_000 };
    writeMcpConfig(dataDir, {
      probe: {
        ...server,
        // As an argument too: a workspace secret is given back by its allowRead alone.
        args: [escapeServer, join(home, 'project/.env')],
        env: { KEY_FILE: join(home, '.ssh/id_canary'), DATA: dataFile, DOTENV_PATH: join(home, 'project/.env'), WHERE: '~', NOTES: '~/other/private.md' },
      },
    });
    const { runtime } = startTestRuntime({ dataDir, workspace: join(home, 'project'), approvalGate: new FixedApprovalGate('all') });
    const status = await connected(runtime, ['probe']);
    const read = async (path: string) => resultText((await runtime.callTool('probe.read_named', { name: path })).record.result);
    expect(await read(join(home, '.ssh/id_canary'))).not.toContain(CANARY);
    expect(await read(join(home, 'project/.env'))).not.toContain(CANARY);
    expect(status('probe').sandboxGrants!.workspaceSecrets.hidden).toEqual([join(home, 'project/.env')]);
    expect(await read(dataFile)).toMatch(/^BLOCKED/);
    // `~/…` as a shell reads it; the home folder itself is not granted by naming it.
    expect(await read(join(home, 'other/private.md'))).toContain(CANARY);
    expect(status('probe').sandboxGrants!.home).toBe('private');
    expect(status('probe').sandboxGrants!.readable.filter((g) => g.from === 'environment')).toEqual([{ path: join(home, 'other/private.md'), from: 'environment' }]);
    await runtime.dispose();
  }, 60_000);
});

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
