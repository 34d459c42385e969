import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const runtimeScript = join(repoRoot, 'tests', 'fixtures', 'runtime', 'worker-fds-runtime.ts');
const prlimitHere = ['/usr/bin/prlimit', '/bin/prlimit'].some((path) => existsSync(path));

interface Seen {
  extraFd: string;
  listed: string;
  workers: string[][];
}

/** Above 15: Node marks what it inherited up to 15 close-on-exec at its start, so only fds past that were handed on. */
const EXTRA_FD = 20;

/**
 * Runs the runtime in a process started with EXTRA_FD open on a socket of this one (not close-on-exec there), its
 * workers with `limit`: CPU seconds, or `thread` (tools in a heap-limited thread).
 */
function runWithExtraFd(limit?: string): Promise<Seen> {
  const dataDir = tempDir();
  const workspace = join(dataDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const args = ['--import', 'tsx', runtimeScript, dataDir, workspace, String(EXTRA_FD), ...(limit ? [limit] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe', ...Array<'ignore'>(EXTRA_FD - 3).fill('ignore'), 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as Seen);
      } catch {
        reject(new Error(`the runtime exited with ${code}:\n${out}\n${err}`));
      }
    });
  });
}

/** What a worker holds that Portcullis was handed: the extra socket under any number. */
function heldFromOutside(seen: Seen): string[] {
  return seen.workers.flat().filter((line) => line.endsWith(` ${seen.extraFd}`));
}

describe('A built-in tool worker holds no fd Portcullis inherited', () => {
  it.runIf(process.platform === 'linux')("closes its launcher's socket before it runs a tool", async () => {
    const seen = await runWithExtraFd();
    expect(seen.extraFd).toMatch(/^(pipe|socket):\[\d+\]$/);
    expect(seen.listed).toBe('succeeded');
    expect(seen.workers).toHaveLength(1);
    // Its own fds are there (stdio, the IPC channel), the socket is not.
    expect(seen.workers[0]!.map((line) => line.split(' ')[0])).toEqual(expect.arrayContaining(['0', '1', '2', '3']));
    expect(heldFromOutside(seen)).toEqual([]);
  }, 60_000);

  it.runIf(process.platform === 'linux' && prlimitHere)('nor when it is started through prlimit for its CPU limit, as `portcullis serve` starts it', async () => {
    const seen = await runWithExtraFd('60');
    expect(seen.listed).toBe('succeeded');
    expect(seen.workers).toHaveLength(1);
    expect(heldFromOutside(seen)).toEqual([]);
  }, 60_000);

  it.runIf(process.platform === 'linux')('nor when it runs its tools in a heap-limited thread, as the desktop app runs them', async () => {
    const seen = await runWithExtraFd('thread');
    expect(seen.listed).toBe('succeeded');
    expect(seen.workers).toHaveLength(1);
    expect(heldFromOutside(seen)).toEqual([]);
  }, 60_000);
});
