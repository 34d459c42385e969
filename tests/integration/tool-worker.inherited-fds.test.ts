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
  /** A second worker, started after the first from the fds listed at the first start, answered. */
  secondListed: boolean;
  workers: string[][];
  /** What the runtime held without close-on-exec at the end, read from /proc in full (`fd:device:inode`). */
  heldWithoutCloseOnExec: string[];
  /** What a worker started then would have been told to close. */
  named: string[];
  /** The same once the runtime had closed the extra fd. */
  namedOnceClosed: string[];
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
    expect(seen.secondListed).toBe(true);
    expect(seen.workers).toHaveLength(2);
    // Their own fds are there (stdio, the IPC channel), the socket is not, in the second worker either.
    for (const worker of seen.workers) expect(worker.map((line) => line.split(' ')[0])).toEqual(expect.arrayContaining(['0', '1', '2', '3']));
    expect(heldFromOutside(seen)).toEqual([]);
  }, 60_000);

  it.runIf(process.platform === 'linux')('lists the fds to close once: a running runtime opens none without close-on-exec after that, and one closed since is not named', async () => {
    const seen = await runRuntimeWithExtraFd();
    // What the runtime holds without close-on-exec after two workers, its database and its span writer is what was
    // listed at the first worker start (the extra fd, and whatever this test's own runner handed on): a later start,
    // which reads no /proc listing, misses nothing.
    expect(seen.heldWithoutCloseOnExec.map((entry) => entry.split(':')[0])).toContain(String(EXTRA_FD));
    expect(seen.named).toEqual(seen.heldWithoutCloseOnExec);
    expect(seen.namedOnceClosed).toEqual(seen.named.filter((entry) => !entry.startsWith(`${EXTRA_FD}:`)));
  }, 60_000);

  it.runIf(process.platform === 'linux' && prlimitHere)('nor when it is started through prlimit for its CPU limit, as `portcullis serve` starts it', async () => {
    const seen = await runRuntimeWithExtraFd('60');
    expect(seen.listed).toBe('succeeded');
    expect(seen.workers).toHaveLength(2);
    expect(heldFromOutside(seen)).toEqual([]);
  }, 60_000);

  it.runIf(process.platform === 'linux')('nor when it runs its tools in a heap-limited thread, as the desktop app runs them', async () => {
    const seen = await runRuntimeWithExtraFd('thread');
    expect(seen.listed).toBe('succeeded');
    expect(seen.workers).toHaveLength(2);
    expect(heldFromOutside(seen)).toEqual([]);
  }, 60_000);
});
