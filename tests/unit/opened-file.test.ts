import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confirmOpened } from '../../src/core/sandbox/opened-file';
import { tempDir } from '../helpers/temp-dir';

/** A workspace with notes/todo.md, and a folder outside it with a file of the same name. */
async function layout() {
  const base = await realpath(tempDir());
  const root = join(base, 'ws');
  mkdirSync(join(root, 'notes'), { recursive: true });
  writeFileSync(join(root, 'notes', 'todo.md'), 'inside');
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'outside', 'todo.md'), 'secret');
  return { root, target: join(root, 'notes', 'todo.md'), outside: join(base, 'outside') };
}

describe('a file a tool opened is the one its path was checked as', () => {
  it('passes the file that was checked', async () => {
    const { target } = await layout();
    const handle = await open(target, 'r');
    await expect(confirmOpened(handle, target, 'notes/todo.md')).resolves.toBeUndefined();
    await handle.close();
  });

  it('refuses a file opened through a folder swapped for a link out, and swapped back before the check', async () => {
    const { target, outside } = await layout();
    // The race's outcome: the open went through the link (the handle is the outside file), the path is whole again.
    const handle = await open(join(outside, 'todo.md'), 'r');
    await expect(confirmOpened(handle, target, 'notes/todo.md')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE', message: expect.stringContaining('changed while it was being opened') });
    await handle.close();
  });

  it('refuses when the folder on the way is still a link out', async () => {
    const { root, target, outside } = await layout();
    renameSync(join(root, 'notes'), join(root, 'notes-old'));
    symlinkSync(outside, join(root, 'notes'));
    const handle = await open(target, 'r'); // through the link: the outside file
    await expect(confirmOpened(handle, target, 'notes/todo.md')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
    await handle.close();
  });
});
