import { onTestFinished, vi } from 'vitest';
import { tempDir } from './temp-dir';

/** A home folder of its own for the running test, as HOME until it ends, so no test reads or writes the real one. */
export function fakeHome(): string {
  const home = tempDir('portcullis-home-');
  vi.stubEnv('HOME', home);
  onTestFinished(() => {
    vi.unstubAllEnvs();
  });
  return home;
}
