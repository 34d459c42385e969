import { existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { deletePath } from '../../src/core/sandbox/fs-operations';
import type * as WorkspacePath from '../../src/core/sandbox/workspace-path';
import { tempDir } from '../helpers/temp-dir';

/** Run once the path's folder has been checked: what another process writing the workspace does at that moment. */
let afterCheck: ((requested: string) => void) | undefined;

vi.mock('../../src/core/sandbox/workspace-path', async (importOriginal) => {
  const real = await importOriginal<typeof WorkspacePath>();
  return {
    ...real,
    resolveInWorkspace: async (...args: Parameters<typeof real.resolveInWorkspace>) => {
      const resolved = await real.resolveInWorkspace(...args);
      afterCheck?.(args[1]);
      return resolved;
    },
  };
});

/** A workspace with notes/old.txt, and a folder outside it (the home's .ssh, say) with a file of the same name. */
async function layout() {
  const base = await realpath(tempDir());
  const root = join(base, 'ws');
  mkdirSync(join(root, 'notes'), { recursive: true });
  writeFileSync(join(root, 'notes', 'old.txt'), 'inside');
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'outside', 'old.txt'), 'keep me');
  return { root, outside: join(base, 'outside') };
}

describe('fs.delete of a file whose folder is swapped for a link out after the check', () => {
  it('deletes nothing outside the workspace: the swap is seen and refused', async () => {
    const { root, outside } = await layout();
    const cwd = process.cwd();
    // The folder `notes` is checked (its real path is inside), then becomes a link to the outside folder.
    afterCheck = (requested) => {
      if (requested !== 'notes') return;
      renameSync(join(root, 'notes'), join(root, 'notes-was'));
      symlinkSync(outside, join(root, 'notes'));
    };
    try {
      await expect(deletePath({ root, offLimits: [] }, 'notes/old.txt')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE', message: expect.stringContaining('changed while it was being reached') });
    } finally {
      afterCheck = undefined;
    }
    expect(readFileSync(join(outside, 'old.txt'), 'utf8')).toBe('keep me');
    expect(process.cwd()).toBe(cwd);
  });

  it('deletes the file, a link (not what it points to) and an empty folder as before', async () => {
    const { root, outside } = await layout();
    symlinkSync(join(root, 'notes', 'old.txt'), join(root, 'notes', 'link.txt'));
    mkdirSync(join(root, 'notes', 'empty'));
    writeFileSync(join(root, 'notes', 'keep.txt'), 'kept');
    await expect(deletePath({ root, offLimits: [] }, 'notes/link.txt')).resolves.toEqual({ path: 'notes/link.txt', deleted: 'link', bytes: null });
    expect(existsSync(join(root, 'notes', 'old.txt'))).toBe(true);
    await expect(deletePath({ root, offLimits: [] }, 'notes/old.txt')).resolves.toEqual({ path: 'notes/old.txt', deleted: 'file', bytes: 6 });
    await expect(deletePath({ root, offLimits: [] }, 'notes/empty')).resolves.toEqual({ path: 'notes/empty', deleted: 'folder', bytes: null });
    await expect(deletePath({ root, offLimits: [] }, 'notes')).rejects.toMatchObject({ message: expect.stringContaining('is a folder holding') });
    expect(existsSync(join(outside, 'old.txt'))).toBe(true);
  });
});
