import { describe, expect, it } from 'vitest';
import { createSecurityHandlers } from '../../src/core/api/security-handlers';
import { KeychainUnavailableError, KeyringChangedError } from '../../src/core/secrets/keychain-unavailable';
import { AppError } from '../../src/shared/errors';
import { MemorySecretStore } from '../helpers/memory-secret-store';

/** A keychain whose listing fails with `error`, as Settings → Secrets sees it. */
async function overviewWhenListing(error: Error) {
  const secrets = new MemorySecretStore();
  secrets.list = () => Promise.reject(error);
  return createSecurityHandlers({ secrets, apiKeys: null as never, localApi: null as never })['secrets.list']({});
}

describe("Settings → Secrets' overview when the keychain does not answer", () => {
  // The page words the overview (tests/renderer/keychain-problem.test.ts): not keyringChanged is the missing keychain.
  it('knows the missing keychain by its KEYCHAIN_UNAVAILABLE code, whatever its words', async () => {
    for (const error of [new KeychainUnavailableError('no bus'), new AppError('KEYCHAIN_UNAVAILABLE', 'Worded otherwise: nothing keeps secrets here. Install one.')]) {
      const overview = await overviewWhenListing(error);
      expect(overview).toEqual({ available: false, problem: error.message, keyringChanged: false, secrets: [] });
    }
  });

  it('says a keyring changed under Portcullis as it is, not as a keychain to install', async () => {
    const error = new KeyringChangedError('Object does not exist at path');
    const overview = await overviewWhenListing(error);
    expect(overview).toEqual({ available: false, problem: error.message, keyringChanged: true, secrets: [] });
  });

  it('does not take a failure without the code, even one worded as the missing keychain, for it', async () => {
    await expect(overviewWhenListing(new AppError('INTERNAL', 'No OS keychain is available (no bus)'))).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
