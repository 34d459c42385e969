import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import type { Runtime } from '../../src/core/runtime/create-runtime';
import { writeMcpConfig } from '../helpers/mcp';
import { repoRoot } from '../helpers/paths';
import { resultText } from '../helpers/result-text';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const escapeServer = join(repoRoot, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');
const CANARY = 'canary-private-home-7d1e';

/** The person's own files and other projects' secrets: no server reads them unless granted. */
const PRIVATE = ['projects/other/.env', 'projects/other/.git/config', 'Documents/taxes-2025.pdf', 'Downloads/bank-export.csv', '.env'];
/** Where runtimes and their tools live: every server reads them. */
const RUNTIMES = ['.nvm/versions/node/v22.0.0/lib/node_modules/npm/package.json', '.cache/pip/http/x', '.local/bin/uvx', '.cargo/bin/some-mcp', '.gitconfig'];
/** Credentials inside those places: still unreadable there. */
const CREDENTIALS_INSIDE = ['.cache/huggingface/token', '.config/git/credentials', '.ssh/id_canary', '.cache/thumbnails/large/0a1b.png', '.cache/mozilla/firefox/x/cache2/entries/AB12'];

let home = '';
let nixStore = '';
beforeAll(() => {
  home = join(tmpdir(), `portcullis-private-home-${process.pid}`);
  nixStore = join(tmpdir(), `portcullis-nix-store-${process.pid}`);
  for (const path of [...PRIVATE, ...RUNTIMES, ...CREDENTIALS_INSIDE, 'granted/notes.md', 'code/srv/src/helper.txt'].map((p) => join(home, p))) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${CANARY} ${path}`);
  }
  // A server of the person's own in their home folder, run as `node ~/code/srv/build/server.mjs`: its program folder
  // (the one with package.json) is readable to it, its dependencies through node_modules.
  writeFileSync(join(home, 'code/srv/package.json'), '{ "type": "module" }');
  mkdirSync(join(home, 'code/srv/build'), { recursive: true });
  copyFileSync(escapeServer, join(home, 'code/srv/build/server.mjs'));
  symlinkSync(join(repoRoot, 'node_modules'), join(home, 'code/srv/node_modules'));
  // Nix's profile: a link out of the home folder, to programs a server runs (found through the PATH).
  mkdirSync(join(nixStore, 'bin'), { recursive: true });
  writeFileSync(join(nixStore, 'bin', 'tool'), `${CANARY} nix`);
  symlinkSync(nixStore, join(home, '.nix-profile'));
  vi.stubEnv('HOME', home);
  vi.stubEnv('XDG_DATA_HOME', undefined);
  vi.stubEnv('XDG_CONFIG_HOME', undefined);
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
  rmSync(nixStore, { recursive: true, force: true });
});

const server = { command: process.execPath, args: [escapeServer], maxRetries: 0, timeoutMs: 30_000 };

function start(mcpServers: Record<string, unknown>, workspace?: string): Runtime {
  const dataDir = tempDir();
  writeMcpConfig(dataDir, mcpServers);
  return startTestRuntime({ dataDir, ...(workspace ? { workspace } : {}), approvalGate: new FixedApprovalGate('all') }).runtime;
}

/** What `server` reads at `path` (under `name`, where the policy's secret-file globs do not look: the sandbox alone decides). */
const read = async (runtime: Runtime, server: string, path: string) => resultText((await runtime.callTool(`${server}.read_named`, { name: path })).record.result);

async function connected(runtime: Runtime, names: string[]) {
  await runtime.mcp.settled();
  for (const name of names) {
    const status = runtime.mcp.status().find((s) => s.name === name)!;
    expect(status, `${name}: ${status.error ?? ''} ${status.stderrTail}`).toMatchObject({ state: 'connected', sandboxed: true });
  }
  return (name: string) => runtime.mcp.status().find((s) => s.name === name)!.sandboxGrants!;
}

describe('MCP servers under the OS sandbox: the home folder is private', () => {
  it("a server with no grant reads the workspace and runtimes' folders, not the person's files nor other projects' secrets; allowRead, its arguments and readHome open what they name", async () => {
    const runtime = start({
      plain: { ...server, sandbox: {} },
      granted: { ...server, sandbox: { allowRead: ['~/granted'] } },
      docs: { ...server, args: [escapeServer, join(home, 'Documents')] },
      own: { ...server, args: [join(home, 'code/srv/build/server.mjs')] },
      whole: { ...server, sandbox: { readHome: true } },
      loose: { ...server, sandbox: false },
    });
    const grants = await connected(runtime, ['plain', 'granted', 'docs', 'own', 'whole']);
    const workspaceFile = join(runtime.paths.workspace, 'notes.md');
    writeFileSync(workspaceFile, `${CANARY} workspace`);

    for (const path of PRIVATE.map((p) => join(home, p))) {
      expect(await read(runtime, 'loose', path), path).toContain(CANARY); // there to steal
      for (const name of ['plain', 'granted', 'own']) expect(await read(runtime, name, path), `${name} ${path}`).toMatch(/^BLOCKED/);
    }
    expect(await read(runtime, 'plain', workspaceFile)).toContain(CANARY);
    for (const path of [...RUNTIMES, '.nix-profile/bin/tool']) expect(await read(runtime, 'plain', join(home, path)), path).toContain(CANARY);
    for (const path of CREDENTIALS_INSIDE) {
      for (const name of ['plain', 'whole']) expect(await read(runtime, name, join(home, path)), `${name} ${path}`).not.toContain(CANARY);
    }

    expect(await read(runtime, 'granted', join(home, 'granted/notes.md'))).toContain(CANARY);
    expect(await read(runtime, 'plain', join(home, 'granted/notes.md'))).toMatch(/^BLOCKED/);
    expect(await read(runtime, 'docs', join(home, 'Documents/taxes-2025.pdf'))).toContain(CANARY);
    expect(await read(runtime, 'docs', join(home, 'Downloads/bank-export.csv'))).toMatch(/^BLOCKED/);
    expect(await read(runtime, 'own', join(home, 'code/srv/src/helper.txt'))).toContain(CANARY);
    expect(await read(runtime, 'whole', join(home, 'Documents/taxes-2025.pdf'))).toContain(CANARY);
    expect(await read(runtime, 'whole', join(home, 'projects/other/.env'))).toContain(CANARY);

    // The hidden home folder is read-only, as it was before it was hidden: a write there is refused, not kept in
    // memory to vanish when the server stops; a granted folder stays writable.
    for (const path of [join(home, 'memory.json'), join(home, 'code/new.txt'), join(home, '.cache/new.txt')]) {
      expect(resultText((await runtime.callTool('plain.write_outside', { path })).record.result), path).toMatch(/^BLOCKED (EROFS|EACCES|EPERM|ENOENT)/);
      expect(existsSync(path), path).toBe(false);
    }

    // A file the sandbox hides, asked for by name, is said to be hidden (not missing) and how to grant it.
    const hidden = (await runtime.callTool('plain.read_file', { path: join(home, 'Downloads/bank-export.csv') })).record.error?.message;
    expect(hidden).toContain(`Portcullis' sandbox hides your home folder from plain but for what it was let read, so it cannot see ${join(home, 'Downloads/bank-export.csv')}. To let it read a folder there, add the folder to "sandbox": { "allowRead": [...] } of plain in mcp.json`);
    // One it may read that is not there is only not there.
    const missing = (await runtime.callTool('docs.read_file', { path: join(home, 'Documents/none.txt') })).record.error?.message;
    expect(missing).toMatch(/ENOENT/);
    expect(missing).not.toContain('sandbox');

    // What each may read is on its row (and in `tools list --json`): where a grant of the home folder came from.
    expect(grants('plain')).toMatchObject({ home: 'private' });
    expect(grants('plain').readable).toEqual(expect.arrayContaining([{ path: runtime.paths.workspace, from: 'workspace' }, { path: join(home, '.nvm'), from: 'runtime' }]));
    expect(grants('plain').readable.map((g) => g.path)).not.toContain(join(home, 'Documents'));
    expect(grants('granted').readable).toContainEqual({ path: join(home, 'granted'), from: 'allowRead' });
    expect(grants('docs').readable).toContainEqual({ path: join(home, 'Documents'), from: 'arguments' });
    expect(grants('own').readable).toContainEqual({ path: join(home, 'code/srv'), from: 'arguments' });
    expect(grants('whole')).toMatchObject({ home: 'readHome' });
    await runtime.dispose();
  }, 120_000);

  it('a workspace that is the home folder leaves it readable, said on the row', async () => {
    const runtime = start({ plain: { ...server, sandbox: {} } }, home);
    const grants = await connected(runtime, ['plain']);
    expect(grants('plain')).toMatchObject({ home: 'workspace' });
    expect(await read(runtime, 'plain', join(home, 'Documents/taxes-2025.pdf'))).toContain(CANARY);
    expect(await read(runtime, 'plain', join(home, '.ssh/id_canary'))).toMatch(/^BLOCKED/);
    await runtime.dispose();
  }, 60_000);
});
