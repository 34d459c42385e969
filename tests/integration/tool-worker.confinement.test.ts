import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createForkLauncher } from '../../src/core/sandbox/fork-launcher';
import { WorkerToolRunner } from '../../src/core/sandbox/worker-tool-runner';
import { builtToolWorker } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

function setup(entry = builtToolWorker) {
  const base = tempDir();
  const workspace = join(base, 'workspace');
  const outside = join(base, 'outside');
  mkdirSync(workspace);
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'SECRET-CANARY');
  const runner = new WorkerToolRunner(createForkLauncher(entry), workspace);
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
