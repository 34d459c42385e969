import { describe, expect, it } from 'vitest';
import { runCrashHarness } from '../crash/crash-harness';
import { tempDir } from '../helpers/temp-dir';

describe('crash harness', () => {
  it('after each of 200 SIGKILLs the database passes integrity_check and holds every acknowledged write', async () => {
    const result = await runCrashHarness({ kills: 200, dir: tempDir('portcullis-crash-') });
    expect(result.failures).toEqual([]);
    // The kills hit both phases: before anything was acknowledged (open, migrate) and mid-write.
    expect(result.killedBeforeFirstAck).toBeGreaterThan(0);
    expect(result.acknowledged).toBeGreaterThan(1_000);
  }, 180_000);
});
