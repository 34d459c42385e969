import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createForkLauncher, type WorkerLimits } from '../../src/core/sandbox/fork-launcher';
import { WorkerPool, type WorkerPoolOptions } from '../../src/core/sandbox/worker-pool';
import { CallerTimeoutError } from '../../src/core/tools/caller-timeout';
import { AppError } from '../../src/shared/errors';
import { workspaceScope } from '../../src/core/sandbox/workspace-scope';
import { builtToolWorker, repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const hogWorker = join(repoRoot, 'tests', 'fixtures', 'workers', 'hog-worker.mjs');

function pool(limits: WorkerLimits = {}, options: WorkerPoolOptions = {}, entry = hogWorker) {
  const p = new WorkerPool(createForkLauncher(entry, limits), workspaceScope(tempDir()), options);
  onTestFinished(() => p.dispose());
  return p;
}

const call = (p: WorkerPool, toolName: string, args: Record<string, unknown> = {}) => p.run({ toolName, arguments: args });

describe('the warm worker pool', () => {
  it('keeps its workers warm and spreads concurrent calls over them', async () => {
    const p = pool({}, { size: 2 });
    expect(p.warmCount).toBe(2); // started before any call
    const [a, b] = await Promise.all([call(p, 'slow', { ms: 300 }), call(p, 'slow', { ms: 300 })]);
    expect(a.ok && b.ok).toBe(true);
    expect((a as { result: { pid: number } }).result.pid).not.toBe((b as { result: { pid: number } }).result.pid);
  });

  it('stops a call at its wall-time limit and replaces the worker', async () => {
    const p = pool({}, { size: 1, timeoutMs: 400 });
    const before = (await call(p, 'pid')) as { result: { pid: number } };
    const spun = await call(p, 'spin');
    expect(spun).toMatchObject({ ok: false, error: { code: 'TOOL_TIMEOUT' } });
    await until('no replacement worker warm', () => p.warmCount, (warm) => warm === 1); // started without waiting for a call
    const after = (await call(p, 'pid')) as { result: { pid: number } };
    expect(after.result.pid).not.toBe(before.result.pid);
  });

  it("says a call its caller's time limit stopped timed out, by the tool called, and stops the worker", async () => {
    const p = pool({}, { size: 1, timeoutMs: 60_000 });
    const before = (await call(p, 'pid')) as { result: { pid: number } };
    const limit = new AbortController();
    setTimeout(() => limit.abort(new CallerTimeoutError('fs.search', 300)), 300);
    // A step of a tool run in two calls (fs.search's) is named as the tool.
    expect(await p.run({ toolName: 'spin:files', arguments: {} }, { signal: limit.signal })).toMatchObject({
      ok: false,
      error: { code: 'TOOL_TIMEOUT', message: 'spin timed out after 300 ms, the time its caller allowed (timeoutMs); the tool worker running it was stopped.' },
    });
    await until('no replacement worker warm', () => p.warmCount, (warm) => warm === 1);
    expect(((await call(p, 'pid')) as { result: { pid: number } }).result.pid).not.toBe(before.result.pid);
    // Once it has passed, the next step is not started.
    expect(await p.run({ toolName: 'spin:lines', arguments: {} }, { signal: limit.signal })).toMatchObject({ ok: false, error: { code: 'TOOL_TIMEOUT', message: expect.stringContaining('it was stopped before its worker started it') } });
    // A cancel says so, with its caller's words.
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(new AppError('TOOL_CANCELLED', 'The caller closed its request before the answer came.')), 200);
    expect(await p.run({ toolName: 'spin', arguments: {} }, { signal: cancel.signal })).toMatchObject({
      ok: false,
      error: { code: 'TOOL_CANCELLED', message: 'spin was cancelled; the tool worker running it was stopped. The caller closed its request before the answer came.' },
    });
  });

  it('tells a call that ran in a worker stopped for another call why it stopped, not that the worker stopped unexpectedly', async () => {
    const p = pool({}, { size: 1, timeoutMs: 60_000 });
    const other = call(p, 'slow', { ms: 5_000 });
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 300);
    expect(await p.run({ toolName: 'spin', arguments: {} }, { signal: cancel.signal })).toMatchObject({ ok: false, error: { code: 'TOOL_CANCELLED' } });
    expect(await other).toMatchObject({
      ok: false,
      error: { code: 'WORKER_CRASHED', message: 'slow was stopped with the tool worker it ran in, which was stopped because spin, running there too, was cancelled. Call it again.' },
    });
  });

  it('a heap bomb dies at the heap limit and a CPU spin at the CPU-time limit, both long before the wall limit', async () => {
    const p = pool({ maxHeapMb: 64, cpuSeconds: 1 }, { size: 1, timeoutMs: 60_000 });
    const start = Date.now();
    const bomb = await call(p, 'bomb');
    expect(bomb).toMatchObject({ ok: false, error: { code: 'WORKER_CRASHED' } });
    // Said in words, not as the native stack trace V8 ends its report with.
    expect((bomb as { error: { message: string } }).error.message).toBe('The tool worker ran out of memory (past its heap limit) while running bomb and was stopped. It will be restarted for the next call.');
    const spin = await call(p, 'spin');
    expect(spin).toMatchObject({ ok: false, error: { code: 'WORKER_CRASHED' } });
    expect(Date.now() - start).toBeLessThan(60_000);
    expect(await call(p, 'pid')).toMatchObject({ ok: true });
  });

  it('refuses output over its limit and recycles the worker', async () => {
    const p = pool({}, { size: 1, maxOutputChars: 1024 * 1024 });
    const flood = await call(p, 'flood');
    expect(flood).toMatchObject({ ok: false, error: { code: 'TOOL_FAILED', message: expect.stringMatching(/over the limit of 1048576; the worker was recycled/) } });
    expect(await call(p, 'pid')).toMatchObject({ ok: true });
  });

  it('runs the real built-in tools', async () => {
    const p = pool({ maxHeapMb: 256, cpuSeconds: 60 }, { size: 2 }, builtToolWorker);
    expect(await call(p, 'fs.write', { path: 'a.txt', content: 'pooled' })).toMatchObject({ ok: true });
    expect(await call(p, 'fs.read', { path: 'a.txt' })).toMatchObject({ ok: true, result: { content: 'pooled' } });
  });
});
