import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { findPrlimit, limitCpuOf } from '../../src/core/sandbox/cpu-limit';

const prlimit = findPrlimit();

describe('limitCpuOf (the desktop tool workers’ CPU limit)', () => {
  it.skipIf(!prlimit)('stops a running process that spins past its CPU seconds', async () => {
    const spinner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    try {
      await once(spinner, 'spawn');
      expect(await limitCpuOf(spinner.pid!, 1, prlimit!)).toBe(true);
      const [code, signal] = (await once(spinner, 'exit')) as [number | null, NodeJS.Signals | null];
      expect(code).toBeNull();
      expect(['SIGXCPU', 'SIGKILL']).toContain(signal);
    } finally {
      spinner.kill('SIGKILL');
    }
  }, 15_000);

  it('says so when the limit could not be set (no such process)', async () => {
    if (prlimit) expect(await limitCpuOf(2 ** 22 + 12345, 1, prlimit)).toBe(false);
    expect(findPrlimit('darwin')).toBeUndefined();
  });
});
