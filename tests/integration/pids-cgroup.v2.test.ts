import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

/**
 * The cgroup v2 branch of the per-server process cap, run for real: a cgroup2 hierarchy is mounted in a private
 * mount namespace (so the test does not depend on the machine mounting one; the hierarchy itself is the
 * machine's) and a child process asks for a cap there.
 */
const dir = mkdtempSync(join(tmpdir(), 'portcullis-cgroup2-'));
const mountPoint = join(dir, 'cgroup2');
mkdirSync(mountPoint);

function inCgroup2Namespace(script: string): string {
  return execFileSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t cgroup2 none "$0" && exec "$@"', mountPoint, ...script.split(' ')], {
    cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const probe = join(dir, 'probe.ts');
writeFileSync(probe, `
  import { existsSync, readFileSync } from 'node:fs';
  import { join } from 'node:path';
  import { createProcessCountLimit } from ${JSON.stringify(join(repoRoot, 'src', 'core', 'sandbox', 'pids-cgroup'))};
  const mount = readFileSync('/proc/self/mountinfo', 'utf8').split('\\n').find((line) => line.includes(' - cgroup2 '))!.split(' ')[4]!;
  const offered = readFileSync(join(mount, 'cgroup.controllers'), 'utf8').trim().split(' ');
  const hadParent = existsSync(join(mount, 'portcullis'));
  const limit = createProcessCountLimit('v2-probe-' + process.pid, 8);
  // Another runtime's attempt (tests run side by side) may hold the parent for a moment; a leftover stays.
  const until = Date.now() + 1_000;
  while (existsSync(join(mount, 'portcullis')) && !hadParent && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  const result = { offered, hadParent, kind: limit?.kind ?? null, underV2: limit?.path.startsWith(mount) ?? false, leftParent: existsSync(join(mount, 'portcullis')) };
  void limit?.release().then(() => console.log(JSON.stringify(result)));
`);

let unavailable: string | null = null;
if (process.platform !== 'linux' || process.getuid?.() !== 0) unavailable = 'needs Linux and root to mount a cgroup2 hierarchy';
else {
  try {
    inCgroup2Namespace('true');
  } catch (error) {
    unavailable = `cannot mount cgroup2 in a private namespace here: ${(error as { stderr?: string }).stderr?.trim() || String(error)}`;
  }
}

describe('per-server process cap on a cgroup v2 hierarchy', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(unavailable !== null)(
    unavailable ? `is tried first (skipped: ${unavailable})` : 'is tried first: a cap there where v2 offers pids, else the v1 cap, with nothing left behind in v2',
    () => {
      const seen = JSON.parse(inCgroup2Namespace(`${process.execPath} --import tsx ${probe}`).trim().split('\n').at(-1)!) as {
        offered: string[]; hadParent: boolean; kind: string | null; underV2: boolean; leftParent: boolean;
      };
      if (seen.offered.includes('pids')) {
        expect(seen).toMatchObject({ kind: 'cgroup-v2', underV2: true });
      } else {
        // pids belongs to a v1 hierarchy here (a hybrid machine): v2 cannot cap, so the v1 cgroup does, and the
        // v2 parent the attempt made is gone again.
        expect(seen).toMatchObject({ kind: 'cgroup-v1', underV2: false });
        if (!seen.hadParent) expect(seen.leftParent).toBe(false);
      }
    },
  );
});
