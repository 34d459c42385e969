import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createForkLauncher } from '../../src/core/sandbox/fork-launcher';
import type { WorkerLauncher } from '../../src/core/sandbox/worker-launcher';
import { WorkerPool } from '../../src/core/sandbox/worker-pool';
import { workspaceScope } from '../../src/core/sandbox/workspace-scope';
import { builtToolWorker } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

/**
 * The desktop app's tool workers (Electron utility processes) take no --max-old-space-size, so the worker runs its
 * tools in a heap-limited thread (--heap-in-thread). Tested under Node: the same entry forked in that mode, whose
 * process then has no heap limit of its own.
 */
function threadModePool(heapMb: number) {
  const base = tempDir();
  const workspace = join(base, 'workspace');
  mkdirSync(workspace);
  writeFileSync(join(base, 'secret.txt'), 'SECRET-CANARY');
  const fork = createForkLauncher(builtToolWorker, { maxHeapMb: heapMb, heapInThread: true });
  let launches = 0;
  const launch: WorkerLauncher = (scope) => {
    launches++;
    return fork(scope);
  };
  const pool = new WorkerPool(launch, workspaceScope(workspace), { size: 1, timeoutMs: 60_000 });
  onTestFinished(() => pool.dispose());
  return { pool, workspace, launches: () => launches };
}

describe('a tool worker with its heap limit on a thread (as in the desktop app)', () => {
  it('runs the built-in tools there, behind their path checks', async () => {
    const { pool } = threadModePool(256);
    expect(await pool.run({ toolName: 'fs.write', arguments: { path: 'a.txt', content: 'threaded' } })).toMatchObject({ ok: true });
    expect(await pool.run({ toolName: 'fs.read', arguments: { path: 'a.txt' } })).toMatchObject({ ok: true, result: { content: 'threaded' } });
    const outside = await pool.run({ toolName: 'fs.read', arguments: { path: '../secret.txt' } });
    expect(outside).toMatchObject({ ok: false, error: { code: 'PATH_OUTSIDE_WORKSPACE' } });
    expect(JSON.stringify(outside)).not.toContain('SECRET-CANARY');
  });

  it('stops a call that runs past the heap limit, says so, and answers the next call from a fresh worker', async () => {
    const { pool, workspace, launches } = threadModePool(32);
    // Each of its 400,000 lines matches: a search of it 40 times over with no limit keeps 16 million matches.
    writeFileSync(join(workspace, 'lines.txt'), 'x\n'.repeat(400_000));
    const files = Array.from({ length: 40 }, () => ({ path: 'lines.txt', read: true }));
    const bomb = await pool.run({ toolName: 'fs.search:lines', arguments: { query: 'x', path: '.', files, limit: 1e9 } });
    expect(bomb).toEqual({
      ok: false,
      error: { code: 'WORKER_CRASHED', message: 'The tool worker ran out of memory (past its heap limit) while running fs.search and was stopped. It will be restarted for the next call.' },
    });
    await until('no replacement worker warm', () => pool.warmCount, (warm) => warm === 1);
    expect(launches()).toBe(2);
    expect(await pool.run({ toolName: 'fs.list', arguments: { path: '.' } })).toMatchObject({ ok: true, result: { entries: [{ name: 'lines.txt' }] } });
  });
});
