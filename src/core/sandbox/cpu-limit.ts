import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** prlimit's path where there is one (Linux, util-linux); elsewhere undefined and no CPU limit is set. */
export function findPrlimit(platform: NodeJS.Platform = process.platform): string | undefined {
  return platform === 'linux' ? ['/usr/bin/prlimit', '/bin/prlimit'].find((path) => existsSync(path)) : undefined;
}

/**
 * Caps a running process's CPU time (RLIMIT_CPU, soft and hard: SIGXCPU, then SIGKILL) with `prlimit --pid`. For a
 * worker its launcher cannot start through prlimit, as fork-launcher does: Electron's utility processes. Resolves
 * whether the limit was set.
 */
export function limitCpuOf(pid: number, seconds: number, prlimit: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(prlimit, ['--pid', String(pid), `--cpu=${seconds}:${seconds + 1}`], { timeout: 5_000 }, (error) => resolve(!error));
  });
}
