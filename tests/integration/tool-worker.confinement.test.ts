import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { prepareDataPaths } from '../../src/core/config/data-paths';
import { createForkLauncher } from '../../src/core/sandbox/fork-launcher';
import { WorkerToolRunner } from '../../src/core/sandbox/worker-tool-runner';
import { workspaceScope } from '../../src/core/sandbox/workspace-scope';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { builtToolWorker } from '../helpers/paths';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

function setup(entry = builtToolWorker) {
  const base = tempDir();
  const workspace = join(base, 'workspace');
  const outside = join(base, 'outside');
  mkdirSync(workspace);
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'SECRET-CANARY');
  const runner = new WorkerToolRunner(createForkLauncher(entry), workspaceScope(workspace));
  onTestFinished(() => runner.dispose());
  return { workspace, outside, runner };
}

describe('the tool worker process', () => {
  it('lists, reads and writes inside the workspace', async () => {
    const { workspace, runner } = setup();
    await expect(runner.run({ toolName: 'fs.write', arguments: { path: 'notes/a.md', content: 'héllo' } })).resolves.toMatchObject({
      ok: true,
      result: { path: 'notes/a.md', bytesWritten: 6, created: true },
    });
    expect(readFileSync(join(workspace, 'notes', 'a.md'), 'utf8')).toBe('héllo');
    await expect(runner.run({ toolName: 'fs.read', arguments: { path: 'notes/a.md' } })).resolves.toMatchObject({ ok: true, result: { content: 'héllo' } });
    await expect(runner.run({ toolName: 'fs.list', arguments: { path: '.' } })).resolves.toMatchObject({
      ok: true,
      result: { entries: [{ name: 'notes', type: 'directory' }] },
    });
  });

  it.each([
    ['fs.read', { path: '../outside/secret.txt' }],
    ['fs.read', { path: '/etc/passwd' }],
    ['fs.list', { path: '..' }],
    ['fs.list', { path: '/' }],
    ['fs.write', { path: '../outside/planted.txt', content: 'x' }],
    ['fs.write', { path: '/tmp/portcullis-planted.txt', content: 'x' }],
    ['fs.read', { path: 'escape/secret.txt' }],
    ['fs.write', { path: 'escape/planted.txt', content: 'x' }],
    ['fs.write', { path: 'dangling.txt', content: 'x' }],
    ['fs.delete', { path: '../outside/secret.txt' }],
    ['fs.delete', { path: 'escape/secret.txt' }],
    ['fs.search:files', { path: 'escape' }],
  ])('refuses %s %j with a clear error', async (toolName, args) => {
    const { workspace, outside, runner } = setup();
    symlinkSync(outside, join(workspace, 'escape'));
    symlinkSync(join(outside, 'dangling-target.txt'), join(workspace, 'dangling.txt'));
    const outcome = await runner.run({ toolName, arguments: args });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'PATH_OUTSIDE_WORKSPACE', message: expect.stringMatching(/^Refused: /) } });
    expect(JSON.stringify(outcome)).not.toContain('SECRET-CANARY');
    expect(existsSync(join(outside, 'planted.txt'))).toBe(false);
    expect(existsSync(join(outside, 'dangling-target.txt'))).toBe(false);
    expect(existsSync('/tmp/portcullis-planted.txt')).toBe(false);
    expect(existsSync(join(outside, 'secret.txt'))).toBe(true);
  });

  it("searches no file outside the workspace, even one named in the search's own file list", async () => {
    const { workspace, runner } = setup();
    symlinkSync(join(workspace, '..', 'outside'), join(workspace, 'escape'));
    const files = [{ path: 'escape/secret.txt', read: true }, { path: '../outside/secret.txt', read: true }];
    const outcome = await runner.run({ toolName: 'fs.search:lines', arguments: { query: 'CANARY', path: '.', files } });
    expect(outcome).toMatchObject({ ok: true, result: { matches: [] } });
    expect(JSON.stringify(outcome)).not.toContain('SECRET-CANARY');
  });

  it('is confined by the permission model even when its own path checks are bypassed', async () => {
    const { workspace, outside, runner } = setup(resolve(__dirname, '../fixtures/workers/escape-worker.mjs'));
    const outcome = await runner.run({ toolName: 'escape', arguments: { outsideFile: join(outside, 'secret.txt') } });
    expect(outcome).toEqual({
      ok: true,
      result: { readOutside: 'ERR_ACCESS_DENIED', writeOutside: 'ERR_ACCESS_DENIED', writeInside: 'allowed', spawn: 'ERR_ACCESS_DENIED' },
    });
    expect(readFileSync(join(workspace, 'inside.txt'), 'utf8')).toBe('ok');
    expect(existsSync(join(outside, 'secret.txt.planted'))).toBe(false);
  });

  it('reports a tool it does not have, and keeps serving', async () => {
    const { runner } = setup();
    await expect(runner.run({ toolName: 'shell.exec', arguments: {} })).resolves.toMatchObject({ ok: false, error: { code: 'TOOL_NOT_FOUND' } });
    await expect(runner.run({ toolName: 'fs.list', arguments: { path: '.' } })).resolves.toMatchObject({ ok: true });
  });

  it('a cancelled call ends at once and the next call gets a fresh worker', async () => {
    const { runner } = setup();
    const controller = new AbortController();
    const pending = runner.run({ toolName: 'fs.list', arguments: { path: '.' } }, { signal: controller.signal });
    controller.abort();
    await expect(pending).resolves.toMatchObject({ ok: false, error: { message: expect.stringContaining('cancelled') } });
    await expect(runner.run({ toolName: 'fs.list', arguments: { path: '.' } })).resolves.toMatchObject({ ok: true });
  });
});

describe('a workspace that holds the data folder (say, the home folder)', () => {
  it("refuses every path into Portcullis's data folder, by any route, and serves the rest of the workspace", async () => {
    const workspace = tempDir();
    const dataDir = join(workspace, '.local', 'share', 'portcullis');
    mkdirSync(join(dataDir, 'exports'), { recursive: true });
    writeFileSync(join(dataDir, 'traces.db'), 'TRACES-CANARY');
    writeFileSync(join(dataDir, 'exports', 'everything.json'), 'EXPORT-CANARY');
    writeFileSync(join(dataDir, 'policy.yaml'), 'version: 1');
    writeFileSync(join(workspace, 'notes.md'), 'my notes');
    symlinkSync(dataDir, join(workspace, 'shortcut'));
    const runner = new WorkerToolRunner(createForkLauncher(builtToolWorker), workspaceScope(workspace, dataDir));
    onTestFinished(() => runner.dispose());

    for (const [toolName, args] of [
      ['fs.read', { path: '.local/share/portcullis/traces.db' }],
      ['fs.read', { path: 'shortcut/exports/everything.json' }],
      ['fs.read', { path: './.local/share/../share/portcullis/exports/everything.json' }],
      ['fs.list', { path: '.local/share/portcullis' }],
      ['fs.list', { path: 'shortcut' }],
      ['fs.write', { path: '.local/share/portcullis/policy.yaml', content: 'rules: []' }],
      ['fs.write', { path: 'shortcut/mcp.json', content: '{}' }],
    ] as const) {
      const outcome = await runner.run({ toolName, arguments: args });
      expect(outcome, `${toolName} ${args.path}`).toMatchObject({
        ok: false,
        error: { code: 'PATH_OUTSIDE_WORKSPACE', message: expect.stringContaining("Portcullis's own data folder") },
      });
      expect(JSON.stringify(outcome)).not.toMatch(/CANARY/);
    }
    expect(readFileSync(join(dataDir, 'policy.yaml'), 'utf8')).toBe('version: 1');
    expect(existsSync(join(dataDir, 'mcp.json'))).toBe(false);

    await expect(runner.run({ toolName: 'fs.read', arguments: { path: 'notes.md' } })).resolves.toMatchObject({ ok: true, result: { content: 'my notes' } });
    await expect(runner.run({ toolName: 'fs.write', arguments: { path: '.local/other-app.txt', content: 'x' } })).resolves.toMatchObject({ ok: true });
    await expect(runner.run({ toolName: 'fs.list', arguments: { path: '.local/share' } })).resolves.toMatchObject({
      ok: true,
      result: { entries: [{ name: 'portcullis', type: 'directory' }] },
    });
  });

  it('is the scope the runtime gives its tools', async () => {
    const workspace = tempDir();
    const { runtime, dataDir } = startTestRuntime({ dataDir: join(workspace, 'portcullis-data'), workspace, approvalGate: new FixedApprovalGate('all') });
    expect(existsSync(join(dataDir, 'portcullis.db'))).toBe(true);
    const read = (await runtime.callTool('fs.read', { path: 'portcullis-data/portcullis.db' })).record;
    expect(read).toMatchObject({ status: 'failed', error: { code: 'PATH_OUTSIDE_WORKSPACE' } });
    const write = (await runtime.callTool('fs.write', { path: 'portcullis-data/policy.yaml', content: 'version: 1\nrules: []\n' })).record;
    expect(write).toMatchObject({ status: 'failed', error: { code: 'PATH_OUTSIDE_WORKSPACE' } });
    expect(existsSync(join(dataDir, 'policy.yaml'))).toBe(false);
    expect((await runtime.callTool('fs.write', { path: 'hello.txt', content: 'hi' })).record.status).toBe('succeeded');
  });
});

describe('workspaceScope', () => {
  it('puts the data folder off limits only when the workspace holds it', () => {
    expect(workspaceScope('/home/ada', '/home/ada/.local/share/portcullis').offLimits).toEqual(['/home/ada/.local/share/portcullis']);
    expect(workspaceScope('/data/portcullis/workspace', '/data/portcullis').offLimits).toEqual([]);
    expect(workspaceScope('/data/portcullis', '/data/portcullis').offLimits).toEqual([]);
    expect(workspaceScope('/srv/project', '/data/portcullis').offLimits).toEqual(['/data/portcullis']);
  });

  it('a workspace that is the data folder itself is refused at start, by name or through a link', () => {
    const dataDir = tempDir();
    const alias = join(tempDir(), 'alias');
    symlinkSync(dataDir, alias);
    expect(() => prepareDataPaths({ dataDir, workspace: dataDir })).toThrow(/workspace and the data folder are the same folder/);
    expect(() => prepareDataPaths({ dataDir, workspace: alias })).toThrow(/same folder/);
    expect(prepareDataPaths({ dataDir }).workspace).toBe(join(dataDir, 'workspace'));
  });
});
