import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import type * as NodeFsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFile } from '../../src/core/sandbox/fs-operations';
import { workspaceScope } from '../../src/core/sandbox/workspace-scope';
import { tempDir } from '../helpers/temp-dir';

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof NodeFsPromises>();
  return { ...real, open: vi.fn(real.open) };
});

const realOpen = (await vi.importActual<typeof NodeFsPromises>('node:fs/promises')).open;

/** Files opened from now on take no bytes: each write fails as on a full disk. */
function diskFills(): void {
  const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  vi.mocked(fsPromises.open).mockImplementation(async (...args: Parameters<typeof realOpen>) => {
    const handle = await realOpen(...args);
    return new Proxy(handle, {
      get(target, key) {
        if (key === 'write' || key === 'writeFile') return () => Promise.reject(full);
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  });
}

afterEach(() => {
  vi.mocked(fsPromises.open).mockImplementation(realOpen);
});

describe('fs.write writes a file whole or not at all', () => {
  it('leaves the old contents as they were when the disk fills, where the file was left empty', async () => {
    const workspace = tempDir();
    writeFileSync(join(workspace, 'notes.md'), 'months of notes\n');
    diskFills();
    await expect(writeFile(workspaceScope(workspace), 'notes.md', 'new text\n')).rejects.toMatchObject({
      code: 'TOOL_FAILED',
      message: 'The disk is full, so "notes.md" was not written; a file that was there is as it was. Free some space, then try again.',
    });
    expect(readFileSync(join(workspace, 'notes.md'), 'utf8')).toBe('months of notes\n');
    expect(readdirSync(workspace)).toEqual(['notes.md']);
  });

  it('leaves no empty file behind when a new one cannot be written', async () => {
    const workspace = tempDir();
    mkdirSync(join(workspace, 'docs'));
    diskFills();
    await expect(writeFile(workspaceScope(workspace), 'docs/new.md', 'text\n')).rejects.toMatchObject({ code: 'TOOL_FAILED' });
    expect(readdirSync(join(workspace, 'docs'))).toEqual([]);
  });

  it('keeps the permission bits of the file it replaces', async () => {
    const workspace = tempDir();
    writeFileSync(join(workspace, 'build.sh'), 'echo old\n');
    chmodSync(join(workspace, 'build.sh'), 0o750);
    await expect(writeFile(workspaceScope(workspace), 'build.sh', 'echo new\n')).resolves.toMatchObject({ created: false, bytesWritten: 9 });
    expect(readFileSync(join(workspace, 'build.sh'), 'utf8')).toBe('echo new\n');
    expect(statSync(join(workspace, 'build.sh')).mode & 0o777).toBe(0o750);
    expect(readdirSync(workspace)).toEqual(['build.sh']);
  });
});
