import { describe, expect, it } from 'vitest';
import { runCrashHarness } from '../crash/crash-harness';
import { tempDir } from '../helpers/temp-dir';

describe('crash harness', () => {
  it('after each of 200 SIGKILLs the database passes integrity_check and holds every acknowledged write', async () => {
    const result = await runCrashHarness({ kills: 200, dir: tempDir('portcullis-crash-') });
    expect(result.failures).toEqual([]);
    // The kills hit both phases: before anything was acknowledged (open, migrate) and mid-write.
    expect(result.killedBeforeFirstAck).toBeGreaterThan(0);
    // Half the kills wait for the first acknowledgement, so at least ~100 runs were killed mid-write.
    expect(result.kills - result.killedBeforeFirstAck).toBeGreaterThanOrEqual(90);
    expect(result.acknowledged).toBeGreaterThan(200);
  }, 180_000);

  it('catches a writer that acknowledges before the write is made', async () => {
    const result = await runCrashHarness({ kills: 40, dir: tempDir('portcullis-crash-'), ackEarly: true });
    expect(result.failures.some((f) => /acknowledged \w+ \S+ is missing/.test(f))).toBe(true);
  }, 60_000);
});
