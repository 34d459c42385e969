import { describe, expect, it } from 'vitest';
import { keychainFixHint } from '../../src/core/secrets/keychain-unavailable';

describe('how to get a keychain on a headless Linux', () => {
  it('gives the command that keeps the keyring, and warns that scripts/with-keyring.sh throws its keyring and home folder away', () => {
    const hint = keychainFixHint('linux');
    expect(hint).toContain('dbus-run-session');
    expect(hint).toContain('kept in ~/.local/share/keyrings');
    // A second gnome-keyring-daemon on the same keyring (secrets set in its own D-Bus session) leaves the running
    // app's unable to read it: while Portcullis runs, the page sets them.
    expect(hint).toMatch(/while it runs, set secrets in Settings → Secrets: `portcullis secrets set` wrapped the same way, only while it does not/);
    // with-keyring.sh sets HOME to a folder it deletes: the default data folder and every secret stored go with it.
    expect(hint).not.toMatch(/with-keyring\.sh does this/);
    expect(hint).toMatch(/scripts\/with-keyring\.sh.*throwaway keyring and home folder.*--data-dir/);
  });
});
