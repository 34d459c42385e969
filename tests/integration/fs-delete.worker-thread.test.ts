import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createForkLauncher } from '../../src/core/sandbox/fork-launcher';
import { WorkerPool } from '../../src/core/sandbox/worker-pool';
import { workspaceScope } from '../../src/core/sandbox/workspace-scope';
import { builtToolWorker } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

describe('fs.delete in a tool worker that runs its tools on a thread (the desktop app, to hold them to a heap limit)', () => {
  it('deletes a file, a link (not what it points to) and an empty folder, where a thread may not change the process\'s folder', async () => {
    const base = tempDir();
    const workspace = join(base, 'workspace');
    mkdirSync(join(workspace, 'notes', 'empty'), { recursive: true });
    writeFileSync(join(workspace, 'notes', 'old.txt'), 'old');
    writeFileSync(join(workspace, 'kept.txt'), 'keep');
    symlinkSync(join(workspace, 'kept.txt'), join(workspace, 'notes', 'link.txt'));
    const pool = new WorkerPool(createForkLauncher(builtToolWorker, { maxHeapMb: 256, heapInThread: true }), workspaceScope(workspace), { size: 1, timeoutMs: 60_000 });
    onTestFinished(() => pool.dispose());
    expect(await pool.run({ toolName: 'fs.delete', arguments: { path: 'notes/old.txt' } })).toMatchObject({ ok: true, result: { deleted: 'file', bytes: 3 } });
    expect(await pool.run({ toolName: 'fs.delete', arguments: { path: 'notes/link.txt' } })).toMatchObject({ ok: true, result: { deleted: 'link' } });
    expect(await pool.run({ toolName: 'fs.delete', arguments: { path: 'notes/empty' } })).toMatchObject({ ok: true, result: { deleted: 'folder' } });
    expect(existsSync(join(workspace, 'notes', 'old.txt'))).toBe(false);
    expect(existsSync(join(workspace, 'kept.txt'))).toBe(true);
  });
});
