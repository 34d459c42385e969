import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createProcessCountLimit, processCountLimitAvailable, removeStaleCgroups } from '../../src/core/sandbox/pids-cgroup';

const members = (cgroup: string): string => readFileSync(join(cgroup, 'cgroup.procs'), 'utf8').trim();

describe('per-server cgroups left by a killed run', () => {
  const available = processCountLimitAvailable();
  it.skipIf(!available)(
    available ? 'are removed once a minute old and empty; a cgroup with a live process, or a fresh one, is kept' : 'are removed (skipped: no writable pids cgroup here)',
    async () => {
      // A parent of our own, so other tests' cgroups running alongside are never in the sweep.
      const parent = createProcessCountLimit(`stale-test-${process.pid}`, 64)!;
      const stale = join(parent.path, 'stale');
      const busy = join(parent.path, 'busy');
      mkdirSync(stale);
      mkdirSync(busy);
      const sleeper = spawn('/bin/sh', ['-c', 'echo $$ > "$0" && exec sleep 30', join(busy, 'cgroup.procs')], { stdio: 'ignore' });
      onTestFinished(async () => {
        sleeper.kill('SIGKILL');
        await expect.poll(() => members(busy), { timeout: 5_000 }).toBe('');
        for (const dir of [stale, busy]) if (existsSync(dir)) rmdirSync(dir);
        await parent.release();
      });
      await expect.poll(() => members(busy), { timeout: 5_000 }).toBe(String(sleeper.pid));

      expect(removeStaleCgroups(parent.path)).toBe(0);
      expect(existsSync(stale)).toBe(true);

      const aMinuteLater = Date.now() + 61_000;
      expect(removeStaleCgroups(parent.path, 60_000, aMinuteLater)).toBe(1);
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(busy)).toBe(true);
      expect(members(busy)).toBe(String(sleeper.pid));
    },
  );
});
