import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInWorkspace } from '../../src/core/sandbox/workspace-path';
import { tempDir } from '../helpers/temp-dir';

function setup() {
  const base = tempDir();
  const workspace = join(base, 'workspace');
  const outside = join(base, 'outside');
  mkdirSync(join(workspace, 'notes'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'top secret');
  writeFileSync(join(workspace, 'notes', 'todo.md'), 'todo');
  return { workspace, outside };
}

describe('resolveInWorkspace', () => {
  it('resolves paths inside the workspace, existing or not', async () => {
    const { workspace } = setup();
    await expect(resolveInWorkspace(workspace, 'notes/todo.md')).resolves.toBe(join(workspace, 'notes', 'todo.md'));
    await expect(resolveInWorkspace(workspace, './notes/../notes/new/deep.txt')).resolves.toBe(join(workspace, 'notes', 'new', 'deep.txt'));
    await expect(resolveInWorkspace(workspace, '.')).resolves.toBe(workspace);
  });

  it.each([
    ['../outside/secret.txt', 'leads out of the workspace'],
    ['notes/../../outside/secret.txt', 'leads out of the workspace'],
    ['..', 'leads out of the workspace'],
    ['/etc/passwd', 'is an absolute path'],
    ['C:\\Windows\\system.ini', 'is an absolute path'],
    ['\\\\server\\share\\x', 'is an absolute path'],
    ['notes/todo.md\0.png', 'contains a NUL byte'],
  ])('refuses %j (%s)', async (requested, why) => {
    const { workspace } = setup();
    await expect(resolveInWorkspace(workspace, requested)).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE', message: expect.stringContaining(why) });
  });

  it('refuses a symlink that points out of the workspace, and files below it', async () => {
    const { workspace, outside } = setup();
    symlinkSync(outside, join(workspace, 'escape'));
    symlinkSync(join(outside, 'secret.txt'), join(workspace, 'secret-link.txt'));
    for (const requested of ['escape/secret.txt', 'escape/new-file.txt', 'secret-link.txt', 'escape']) {
      await expect(resolveInWorkspace(workspace, requested)).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
    }
  });

  it('refuses a dangling symlink, which a write would otherwise follow out of the workspace', async () => {
    const { workspace, outside } = setup();
    symlinkSync(join(outside, 'not-yet.txt'), join(workspace, 'dangling.txt'));
    symlinkSync(join(outside, 'no-dir'), join(workspace, 'dangling-dir'));
    await expect(resolveInWorkspace(workspace, 'dangling.txt')).rejects.toThrow(/link that points nowhere/);
    await expect(resolveInWorkspace(workspace, 'dangling-dir/file.txt')).rejects.toThrow(/link that points nowhere/);
  });

  it('allows symlinks that stay inside the workspace', async () => {
    const { workspace } = setup();
    symlinkSync(join(workspace, 'notes'), join(workspace, 'notes-link'));
    await expect(resolveInWorkspace(workspace, 'notes-link/todo.md')).resolves.toBe(join(workspace, 'notes', 'todo.md'));
  });

  it('treats a workspace reached through a symlink by its real location', async () => {
    const { workspace } = setup();
    const alias = join(workspace, '..', 'alias');
    symlinkSync(workspace, alias);
    await expect(resolveInWorkspace(alias, 'notes/todo.md')).resolves.toBe(join(workspace, 'notes', 'todo.md'));
  });
});
