import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';
import { EXTRA_FD, runWithExtraFd } from '../helpers/run-with-extra-fd';
import { tempDir } from '../helpers/temp-dir';

const runtimeScript = join(repoRoot, 'tests', 'fixtures', 'runtime', 'worker-fds-runtime.ts');
const prlimitHere = ['/usr/bin/prlimit', '/bin/prlimit'].some((path) => existsSync(path));

interface Seen {
  extraFd: string;
  listed: string;
  workers: string[][];
}

/**
 * Runs the runtime with EXTRA_FD open (run-with-extra-fd.ts), its workers with `limit`: CPU seconds, or `thread`
 * (tools in a heap-limited thread).
 */
function runRuntimeWithExtraFd(limit?: string): Promise<Seen> {
  const dataDir = tempDir();
  const workspace = join(dataDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  return runWithExtraFd<Seen>(runtimeScript, [dataDir, workspace, String(EXTRA_FD), ...(limit ? [limit] : [])]);
}

/** What a worker holds that Portcullis was handed: the extra socket under any number. */
function heldFromOutside(seen: Seen): string[] {
  return seen.workers.flat().filter((line) => line.endsWith(` ${seen.extraFd}`));
}

describe('A built-in tool worker holds no fd Portcullis inherited', () => {
  it.runIf(process.platform === 'linux')("closes its launcher's socket before it runs a tool", async () => {
    const seen = await runRuntimeWithExtraFd();
    expect(seen.extraFd).toMatch(/^(pipe|socket):\[\d+\]$/);
    expect(seen.listed).toBe('succeeded');
    expect(seen.workers).toHaveLength(1);
    // Its own fds are there (stdio, the IPC channel), the socket is not.
    expect(seen.workers[0]!.map((line) => line.split(' ')[0])).toEqual(expect.arrayContaining(['0', '1', '2', '3']));
    expect(heldFromOutside(seen)).toEqual([]);
  }, 60_000);

  it.runIf(process.platform === 'linux' && prlimitHere)('nor when it is started through prlimit for its CPU limit, as `portcullis serve` starts it', async () => {
    const seen = await runRuntimeWithExtraFd('60');
    expect(seen.listed).toBe('succeeded');
    expect(seen.workers).toHaveLength(1);
    expect(heldFromOutside(seen)).toEqual([]);
  }, 60_000);

  it.runIf(process.platform === 'linux')('nor when it runs its tools in a heap-limited thread, as the desktop app runs them', async () => {
    const seen = await runRuntimeWithExtraFd('thread');
    expect(seen.listed).toBe('succeeded');
    expect(seen.workers).toHaveLength(1);
    expect(heldFromOutside(seen)).toEqual([]);
  }, 60_000);
});
