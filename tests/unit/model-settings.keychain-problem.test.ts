import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock';
import { ModelSettingsService } from '../../src/core/model/model-settings-service';
import { createModelProvider } from '../../src/core/model/provider-factory';
import { SwitchableModel } from '../../src/core/model/switchable-model';
import { KeychainUnavailableError, KeyringChangedError } from '../../src/core/secrets/keychain-unavailable';
import { openDatabase } from '../../src/core/storage/database';
import { SettingsStore } from '../../src/core/storage/stores/settings-store';
import { AppError } from '../../src/shared/errors';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { tempDir } from '../helpers/temp-dir';

/** Settings → Model's settings when the keychain's listing fails with `error` (none: a keychain holding an Anthropic key). */
async function modelSettingsWhenListing(error?: Error) {
  const secrets = new MemorySecretStore({ 'provider.anthropic.apiKey': 'sk-ant-test-123456' });
  if (error) secrets.list = () => Promise.reject(error);
  const db = openDatabase(join(tempDir(), 'portcullis.db'));
  try {
    const model = new SwitchableModel(createModelProvider({ provider: 'builtin' }, secrets));
    return await new ModelSettingsService({ settings: new SettingsStore(db), secrets, model, clock: systemClock }).get();
  } finally {
    db.close();
  }
}

describe("Settings → Model's keychain state", () => {
  // The page words it (tests/renderer/keychain-problem.test.ts, apiKeyKeychainWords).
  it('tells a keyring changed under Portcullis from a missing keychain', async () => {
    expect(await modelSettingsWhenListing(new KeyringChangedError('Object does not exist at path'))).toMatchObject({ keychainAvailable: false, keyringChanged: true, hostedKeys: { anthropic: false } });
    for (const error of [new KeychainUnavailableError('no bus'), new AppError('KEYCHAIN_UNAVAILABLE', 'Worded otherwise.')]) {
      expect(await modelSettingsWhenListing(error)).toMatchObject({ keychainAvailable: false, keyringChanged: false });
    }
  });

  it('takes a keychain that answers, or fails otherwise, as there', async () => {
    expect(await modelSettingsWhenListing()).toMatchObject({ keychainAvailable: true, keyringChanged: false, hostedKeys: { anthropic: true, openai: false } });
    expect(await modelSettingsWhenListing(new AppError('INTERNAL', 'something else'))).toMatchObject({ keychainAvailable: true, keyringChanged: false, hostedKeys: { anthropic: false } });
  });
});
