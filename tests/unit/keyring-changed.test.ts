import { describe, expect, it, vi } from 'vitest';

// The Secret Service as a keyring daemon answers once another daemon rewrote its keyring file: the item it
// listed is gone from under it.
const stale = new Error('zbus error: org.freedesktop.DBus.Error.UnknownMethod: Object does not exist at path “/org/freedesktop/secrets/collection/login/3”');
const noBus = new Error('Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time');
let failure: Error = stale;
vi.mock('@napi-rs/keyring', () => ({
  AsyncEntry: class {
    getPassword = async () => Promise.reject(failure);
  },
  findCredentialsAsync: async () => Promise.reject(failure),
}));

const { KeyringSecretStore } = await import('../../src/core/secrets/keyring-secret-store');

describe('a keyring changed under Portcullis by another keyring daemon', () => {
  it('is said as such, with the restart that mends it, not as a missing keychain to install', async () => {
    failure = stale;
    const store = new KeyringSecretStore('portcullis-test');
    await expect(store.get('gw.late')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    await expect(store.list()).rejects.toThrow(/^The OS keychain's keyring changed under Portcullis \(.*Object does not exist at path.*\): another keyring daemon changed it.*Restart Portcullis to read it again; while it runs, set secrets in Settings → Secrets\.$/);
    await expect(store.list()).rejects.not.toThrow(/No OS keychain is available/);
  });

  it('no Secret Service at all is still the missing keychain, with how to get one', async () => {
    failure = noBus;
    await expect(new KeyringSecretStore('portcullis-test').list()).rejects.toThrow(/^No OS keychain is available \(Platform failure/);
  });
});
